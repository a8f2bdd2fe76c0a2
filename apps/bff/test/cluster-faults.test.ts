import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../../../scripts/postgres-cluster.mjs';
import { repoRoot } from '../../../scripts/build-services.mjs';
import { freePort } from '../../../test-support/free-port.ts';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn, type TestApiClient } from './api-client.ts';
import { eventually } from './wait-for.ts';

// Faults of the database under a cluster (PostgreSQL project only). This file stops and starts
// PostgreSQL, so it has a cluster of its own instead of the run's shared one.
let dir: string;
let pg: PostgresCluster;
let a: TestBff, b: TestBff;
let admin: TestApiClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-pg-faults-'));
  pg = startPostgresCluster({ dir, port: await freePort(), fast: true });
  [a, b] = await Promise.all([startTestBff({ DATABASE_URL: pg.url }), startTestBff({ DATABASE_URL: pg.url })]);
  admin = await signedIn(a.url, 'admin');
});
afterAll(async () => {
  await Promise.all([a, b].map((x) => x?.close()));
  try {
    pg?.stop('immediate');
  } catch {
    /* already stopped */
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Start server.ts as `npm start` would, with this environment; resolves with its exit code and output. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/bff/src/server.ts'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bff-bad-url-')), NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('PostgreSQL restarting under the cluster', () => {
  it('answers 503 with a clear message while it is down, and recovers without a restart', async () => {
    expect((await admin.request('GET', '/api/runners')).status).toBe(200);
    const stream = (await fetch(`${a.url}/api/events`, { headers: { cookie: admin.cookieHeader() } })).body!.getReader();
    await stream.read();
    pg.stop('fast');
    try {
      // a may miss other instances' events from now on: its stream ends, so the browser reconnects and refetches.
      for (;;) if ((await stream.read()).done) break;
      const down = await eventually(() => admin.at(b.url).request('POST', '/api/runners', { name: 'while down' }), (r) => r.status !== 201, 10_000);
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('database_unavailable');
      expect(down.body.error.message).toMatch(/cannot reach its database/);
      expect(down.text).not.toMatch(/ECONNREFUSED|stack|127\.0\.0\.1/);
    } finally {
      pg.restart();
    }
    const created = await eventually(() => admin.at(b.url).request('POST', '/api/runners', { name: `after restart ${Date.now()}` }), (r) => r.status === 201, 10_000);
    // Until an instance listens again it hears nothing from the others (its streams were ended, so
    // browsers reconnect and refetch). Once it does, events flow again.
    await eventually(async () => a.logLines.some((l) => l.includes('cluster listener connected again')), Boolean, 10_000);
    // The listener reconnected too: an event from b reaches a stream on a again.
    const res = await fetch(`${a.url}/api/events`, { headers: { cookie: admin.cookieHeader() } });
    const reader = res.body!.getReader();
    try {
      const again = await admin.at(b.url).request('POST', '/api/runners', { name: `event after restart ${Date.now()}` });
      let text = '';
      const timeout = setTimeout(() => void reader.cancel(), 10_000);
      while (!text.includes(again.body.runner.id)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      clearTimeout(timeout);
      expect(text).toContain(again.body.runner.id);
    } finally {
      await reader.cancel();
    }
    // b's runner cache must not hide a row that changed while it was deaf.
    expect((await admin.at(a.url).request('GET', `/api/runners/${created.body.runner.id}`)).status).toBe(200);
  });
});

describe('a DATABASE_URL that cannot be used', () => {
  it('stops start-up with what to fix: no stack trace, no password', async () => {
    const port = await freePort();
    const { code, output } = await runServer({ DATABASE_URL: `postgres://rc:s3cret-Pa55@127.0.0.1:${port}/rc` });
    expect(code).toBe(1);
    expect(output).toMatch(/Could not connect to PostgreSQL at postgres:\/\/rc:\*\*\*@127\.0\.0\.1:\d+\/rc: nothing is listening there/);
    expect(output).toMatch(/Fix DATABASE_URL/);
    expect(output).not.toContain('s3cret-Pa55');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says when the password is wrong', async () => {
    const wrong = new URL(pg.url);
    wrong.password = 'not-the-password';
    const { code, output } = await runServer({ DATABASE_URL: wrong.toString() });
    expect(code).toBe(1);
    expect(output).toMatch(/refused the user name or password in DATABASE_URL/);
    expect(output).not.toContain('not-the-password');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says when it is not a PostgreSQL URL', async () => {
    const { code, output } = await runServer({ DATABASE_URL: 'mysql://root:hunter2@localhost/x' });
    expect(code).toBe(1);
    expect(output).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(output).not.toContain('hunter2');
  });
});
