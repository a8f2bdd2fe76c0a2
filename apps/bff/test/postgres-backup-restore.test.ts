import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn } from './api-client.ts';
import { createPostgresDatabase } from '../../../test-support/postgres-database.ts';
import { findPostgresBin } from '../../../scripts/postgres-cluster.mjs';

// The backup and restore drill of docs/deploying.md, as an operator runs it (PostgreSQL project
// only): data written through the API, `pg_dump --format=custom`, `pg_restore` into a fresh
// database, and a BFF started on the restored database reads it back.
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('backup and restore (docs/deploying.md)', () => {
  it('a dump restored into a fresh database serves the same data', async () => {
    const bin = findPostgresBin();
    if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql, or set PG_BIN).');
    const source = await createPostgresDatabase();
    cleanups.push(() => source.drop());
    const first: TestBff = await startTestBff({ DATABASE_URL: source.url });
    cleanups.push(() => first.close());
    const admin = await signedIn(first.url, 'admin');
    const name = `Backed up ${Date.now()}`;
    const created = await admin.request('POST', '/api/runners', { name });
    expect(created.status).toBe(201);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-backup-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const dump = path.join(dir, 'runner-console.dump');
    execFileSync(path.join(bin, 'pg_dump'), ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${source.url}`], { stdio: 'pipe' });
    expect(fs.statSync(dump).size).toBeGreaterThan(0);
    await first.close();

    const target = await createPostgresDatabase();
    cleanups.push(() => target.drop());
    execFileSync(path.join(bin, 'pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, dump], { stdio: 'pipe' });

    const restored = await startTestBff({ DATABASE_URL: target.url });
    cleanups.push(() => restored.close());
    expect((await fetch(`${restored.url}/readyz`)).status).toBe(200);
    // The same session works: sessions are rows of the database too.
    const runners = await admin.at(restored.url).request('GET', '/api/runners');
    expect(runners.status).toBe(200);
    expect(runners.body.runners.map((r: { name: string }) => r.name)).toContain(name);
    const again = await signedIn(restored.url, 'admin');
    const one = await again.request('GET', `/api/runners/${created.body.runner.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(name);
  });
});
