import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';

// The dashboard's built files go out compressed and cached for good; API answers go out as they are.

let t: TestBff;
let webDist: string;
const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `"row ${i}"`).join(',')}];\n`;

beforeAll(async () => {
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-web-dist-'));
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Runner Console</title><div id="root"></div>');
  fs.writeFileSync(path.join(webDist, 'assets', 'index-abc123.js'), script);
  t = await startTestBff({ WEB_DIST: webDist });
});
afterAll(async () => {
  await t.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

/** A raw GET (fetch would decompress and drop the header), with the headers and body length as sent. */
function get(url: string, acceptEncoding: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; bytes: number }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
    })
      .on('error', reject)
      .end();
  });
}

describe('static files', () => {
  it('sends a script compressed with what the browser accepts, and cacheable for a year', async () => {
    const br = await get(`${t.url}/assets/index-abc123.js`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toMatch(/immutable/);
    expect(br.bytes).toBeLessThan(script.length / 3);

    const gzip = await get(`${t.url}/assets/index-abc123.js`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    const plain = await get(`${t.url}/assets/index-abc123.js`, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBe(Buffer.byteLength(script));
  });

  it('does not compress API answers', async () => {
    const res = await get(`${t.url}/api/auth/session`, 'gzip, br');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
  });
});
