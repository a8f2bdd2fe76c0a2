import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestBff, type TestBff } from './test-bff.ts';
import { createPostgresDatabase } from '../../../test-support/postgres-database.ts';

// Three instances started at once against an empty PostgreSQL database (PostgreSQL project only):
// the migrations run once, under one lock, and all three come up ready.
const started: TestBff[] = [];
let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
afterAll(async () => {
  await Promise.all(started.map((b) => b.close()));
  await database?.drop();
});

/** The key apps/bff/src/store/database.ts migrates under. */
const migrationLockKey = 7_331_000;

describe('the first start of several instances on an empty database', () => {
  it('migrates under one lock: nobody migrates while it is held, and all three come up ready once it is free', async () => {
    database = await createPostgresDatabase();
    // Someone (an instance of another version, say) holds the migration lock.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('select pg_advisory_lock($1)', [migrationLockKey]);
    let upCount = 0;
    const starting = [1, 2, 3].map(() =>
      startTestBff({ DATABASE_URL: database!.url }).then((bff) => {
        started.push(bff);
        upCount++;
        return bff;
      }),
    );
    try {
      await new Promise((r) => setTimeout(r, 1_500));
      expect(upCount).toBe(0);
      const tables = await holder.query(`select 1 from information_schema.tables where table_name = 'runners'`);
      expect(tables.rowCount).toBe(0);
    } finally {
      await holder.query('select pg_advisory_unlock($1)', [migrationLockKey]);
      await holder.end();
    }
    const instances = await Promise.all(starting);
    expect(instances).toHaveLength(3);
    for (const bff of instances) {
      const ready = await fetch(`${bff.url}/readyz`);
      expect(ready.status).toBe(200);
    }
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    try {
      const { rows } = await check.query<{ name: string; n: string }>('select name, count(*) as n from kysely_migration group by name');
      expect(rows.length).toBeGreaterThanOrEqual(10);
      expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
      // The seed ran once too.
      expect((await check.query(`select 1 from orgs where name = 'Acme'`)).rowCount).toBe(1);
    } finally {
      await check.end();
    }
  });
});
