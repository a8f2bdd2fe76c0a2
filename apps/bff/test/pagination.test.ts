import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn, type TestApiClient } from './api-client.ts';

let t: TestBff;
let admin: TestApiClient;
beforeAll(async () => {
  t = await startTestBff();
  admin = await signedIn(t.url, 'admin');
  for (let i = 0; i < 5; i++) expect((await admin.request('POST', '/api/runners', { name: `Paged runner ${i}` })).status).toBe(201);
});
afterAll(() => t.close());

async function allPages(path: string, key: string, limit: number) {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await admin.request('GET', `${path}?${q}`);
    expect(res.status).toBe(200);
    expect(res.body[key].length).toBeLessThanOrEqual(limit);
    seen.push(...res.body[key].map((item: { id: string }) => item.id));
    cursor = res.body.nextCursor;
    if (cursor === null) return { seen, pages: pages + 1 };
  }
  throw new Error('never reached the last page');
}

describe('list pagination', () => {
  it('pages through the runners with limit and cursor, each once, in the unpaged order', async () => {
    const whole = await admin.request('GET', '/api/runners?limit=200');
    expect(whole.body.nextCursor).toBeNull();
    const { seen, pages } = await allPages('/api/runners', 'runners', 2);
    expect(pages).toBe(Math.ceil(whole.body.runners.length / 2));
    expect(seen).toEqual(whole.body.runners.map((r: { id: string }) => r.id));
  });

  it('keeps the response shape for callers that send no query (first page, default 50)', async () => {
    const res = await admin.request('GET', '/api/runners');
    expect(res.status).toBe(200);
    expect(res.body.runners.length).toBeGreaterThanOrEqual(6);
    expect(res.body.nextCursor).toBeNull();
  });

  it('pages through the audit log newest first', async () => {
    const runnerId = (await admin.request('GET', '/api/runners?limit=200')).body.runners.find((r: { name: string }) => r.name === 'Paged runner 0').id;
    for (let i = 0; i < 3; i++) {
      await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: `paged-${i}.example.test`, oauthEnabled: false });
    }
    const whole = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(whole.status).toBe(200);
    const { seen } = await allPages(`/api/runners/${runnerId}/audit-log`, 'entries', 1);
    expect(seen).toEqual(whole.body.entries.map((e: { id: string }) => e.id));
    const integrations = await allPages(`/api/runners/${runnerId}/integrations`, 'integrations', 2);
    expect(new Set(integrations.seen).size).toBe(integrations.seen.length);
  });

  it('answers an empty last page for environments', async () => {
    const res = await admin.request('GET', '/api/environments?limit=10');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ environments: [], nextCursor: null });
  });

  it('refuses a limit out of range and a cursor it did not give out', async () => {
    for (const q of ['limit=0', 'limit=201', 'limit=abc', 'cursor=not-a-cursor', `cursor=${Buffer.from('[1]').toString('base64url')}`]) {
      const res = await admin.request('GET', `/api/runners?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
  });
});
