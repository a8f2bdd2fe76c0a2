import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, openPostgresDatabase, type Db } from '../src/store/database.ts';
import { createPostgresDatabase, onPostgres } from '../../../test-support/postgres-database.ts';

/**
 * The store under test on the run's database: a temporary SQLite file, or (in the PostgreSQL
 * project) a fresh database of the run's cluster. Migrated; close() removes it.
 */
export async function openTestDatabase(): Promise<{ db: Db; close(): Promise<void> }> {
  if (onPostgres) {
    const database = await createPostgresDatabase();
    const db = await openPostgresDatabase(database.url);
    return {
      db,
      async close() {
        await db.destroy();
        await database.drop();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bff-db-'));
  const db = await openDatabase(path.join(dir, 'bff.db'));
  return {
    db,
    async close() {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
