import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-scm-integrations.ts';
import * as m0003 from './migrations/0003-connect-and-environments.ts';
import * as m0004 from './migrations/0004-list-pagination.ts';
import * as m0005 from './migrations/0005-org-admins-index.ts';
import * as m0006 from './migrations/0006-runner-management.ts';
import * as m0007 from './migrations/0007-api-tokens.ts';

/**
 * The data layer's one entry point. Everything above it talks to kysely's typed builder, so a
 * PostgresDialect can replace SqliteDialect here without touching services or routes.
 */
export type Db = Kysely<Database>;

const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-scm-integrations': m0002,
  '0003-connect-and-environments': m0003,
  '0004-list-pagination': m0004,
  '0005-org-admins-index': m0005,
  '0006-runner-management': m0006,
  '0007-api-tokens': m0007,
};

export async function openDatabase(file: string): Promise<Db> {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  await migrateToLatest(db);
  return db;
}

/**
 * Kysely's SQLite driver prepares every query again; compiling the SQL was a large part of an API
 * call's cost. Statements are reused by their text (kysely's SQL for a given query shape is stable,
 * values are parameters). better-sqlite3 runs them synchronously, so a reused statement is never
 * in use twice at once. The cache is bounded in case some query builds its SQL from data.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): Pick<SQLite.Database, 'prepare' | 'close'> {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(source: string) {
      let statement = statements.get(source);
      if (!statement) {
        if (statements.size >= max) statements.clear();
        statement = sqlite.prepare(source);
        statements.set(source, statement);
      }
      return statement;
    },
    close() {
      statements.clear();
      return sqlite.close();
    },
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}

async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
