import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './emulator-harness.ts';

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cwd = makeTempDir('bb-emulator-process-');
/** tsx's loader, by absolute URL: the process runs in a temporary folder without node_modules. */
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

function startServer(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    ['--import', tsxLoader, path.join(appDir, 'src/server.ts')],
    {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const waitFor = async (text: string) => {
    for (let waited = 0; waited < 20_000 && !output.includes(text); waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return output;
  };
  return { child, exited, waitFor, output: () => output };
}

describe('server.ts', () => {
  it('starts, logs one listening line, keeps its data in DATA_DIR/bitbucket-emulator and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const server = startServer({
      BITBUCKET_PORT: String(port),
      DATA_DIR: 'data',
      LOG_LEVEL: 'info',
    });
    const log = await server.waitFor('Bitbucket emulator listening on');
    expect(log).toContain(`Bitbucket emulator listening on http://127.0.0.1:${port}`);
    const health = await fetch(`http://127.0.0.1:${port}/_emulator/health`);
    expect(health.status).toBe(200);
    const repo = await fetch(`http://127.0.0.1:${port}/2.0/repositories/acme/widgets`, {
      headers: { authorization: `Basic ${Buffer.from('alice:alice').toString('base64')}` },
    });
    expect(await repo.json()).toMatchObject({
      links: { clone: [{ href: `http://alice@localhost:${port}/acme/widgets.git` }] },
    });
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output().match(/listening on/g)).toHaveLength(1);
    expect(existsSync(path.join(cwd, 'data', 'bitbucket-emulator', 'emulator.sqlite'))).toBe(true);
    expect(
      existsSync(
        path.join(cwd, 'data', 'bitbucket-emulator', 'repositories', 'acme', 'widgets.git', 'HEAD'),
      ),
    ).toBe(true);
  });

  it('fails fast with a clear message on bad configuration', async () => {
    const server = startServer({ BITBUCKET_PORT: 'eighty', BITBUCKET_PUBLIC_URL: 'ftp://x' });
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain('Invalid Bitbucket emulator configuration');
    expect(server.output()).toContain('BITBUCKET_PORT');
    expect(server.output()).toContain('BITBUCKET_PUBLIC_URL');
  });
});
