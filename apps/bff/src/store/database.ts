import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type Migration } from 'kysely';
import { dialectOf } from './dialect.ts';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001-initial.ts';
import * as m0002 from './migrations/0002-scm-integrations.ts';
import * as m0003 from './migrations/0003-connect-and-environments.ts';
import * as m0004 from './migrations/0004-list-pagination.ts';
import * as m0005 from './migrations/0005-org-admins-index.ts';
import * as m0006 from './migrations/0006-runner-management.ts';
import * as m0007 from './migrations/0007-api-tokens.ts';
import * as m0008 from './migrations/0008-cluster.ts';
import * as m0009 from './migrations/0009-runner-key-pinning.ts';
import * as m0010 from './migrations/0010-idempotency-keys.ts';
import * as m0011 from './migrations/0011-runner-provider-sites.ts';
import * as m0012 from './migrations/0012-organization-members.ts';
import * as m0015 from './migrations/0015-pending-erasures.ts';
import * as m0016 from './migrations/0016-sso-invitations.ts';
import * as m0013 from './migrations/0013-console-api-tokens.ts';
import * as m0014 from './migrations/0014-single-sign-on.ts';
import * as m0017 from './migrations/0017-scm-integration-issuer-and-collection.ts';

/**
 * The data layer's one entry point. Everything above it talks to kysely's typed builder; the two
 * dialects (SQLite embedded, PostgreSQL with DATABASE_URL) differ only inside store/.
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
  '0008-cluster': m0008,
  '0009-runner-key-pinning': m0009,
  '0010-idempotency-keys': m0010,
  '0011-runner-provider-sites': m0011,
  '0012-organization-members': m0012,
  '0015-pending-erasures': m0015,
  '0016-sso-invitations': m0016,
  '0013-console-api-tokens': m0013,
  '0014-single-sign-on': m0014,
  '0017-scm-integration-issuer-and-collection': m0017,
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

/** Thrown when start-up cannot use DATABASE_URL: the message says what to fix and never holds the password. */
export class DatabaseConfigError extends Error {}

/** DATABASE_URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

export interface PostgresOptions {
  /** Connections per BFF instance. */
  poolSize?: number;
  /** Called for errors of idle pooled connections (PostgreSQL restarting, for example). */
  onIdleError?: (err: Error) => void;
}

/**
 * Connect to PostgreSQL and migrate. A URL that is malformed, unreachable, or refused fails with a
 * DatabaseConfigError that says which of these it is.
 */
export async function openPostgresDatabase(url: string, opts: PostgresOptions = {}): Promise<Db> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConfigError('DATABASE_URL is not a URL. Use the form postgres://USER:PASSWORD@HOST:PORT/DATABASE.');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseConfigError(`DATABASE_URL must start with postgres:// (got ${parsed.protocol}//). Unset it to use the embedded SQLite database.`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // During an outage a request fails fast (503) instead of queueing until its client gives up.
    connectionTimeoutMillis: 3_000,
    idleTimeoutMillis: 30_000,
    application_name: 'runner-console-bff',
  });
  // Without a listener an idle connection dropped by the server would crash the process.
  pool.on('error', (err) => opts.onIdleError?.(err));
  // pg also emits 'error' on a client that is checked out (in a query) when its connection drops,
  // and pg-pool listens only while the client is idle; the query itself fails and reports it.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  const where = redactDatabaseUrl(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new DatabaseConfigError(describeConnectError(err, where));
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
  try {
    await withMigrationLock(db, () => migrateToLatest(db));
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  return db;
}

function describeConnectError(err: unknown, where: string): string {
  const code = (err as { code?: string })?.code;
  const fix = 'Fix DATABASE_URL (or unset it to use the embedded SQLite database) and start again.';
  switch (code) {
    case 'ECONNREFUSED':
      return `Could not connect to PostgreSQL at ${where}: nothing is listening there. Check that PostgreSQL is running and that the host and port in DATABASE_URL are right. ${fix}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Could not connect to PostgreSQL at ${where}: the host name does not resolve. ${fix}`;
    case 'ETIMEDOUT':
      return `Could not connect to PostgreSQL at ${where}: the connection timed out. Check the host, the port and any firewall in between. ${fix}`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the user name or password in DATABASE_URL. ${fix}`;
    case '3D000':
      return `PostgreSQL at ${where} has no such database. Create it (createdb) or name an existing one in DATABASE_URL.`;
    case '57P03':
      return `PostgreSQL at ${where} is starting up or shutting down. Wait for it, then start again.`;
    default: {
      const message = (err as Error)?.message ?? String(err);
      if (/timeout/i.test(message)) return `Could not connect to PostgreSQL at ${where}: the connection timed out. ${fix}`;
      return `Could not connect to PostgreSQL at ${where}: ${message.replace(/:\/\/[^@\s]*@/g, '://***@')}. ${fix}`;
    }
  }
}

/** The PostgreSQL pool under a Db (for the pool metrics); undefined on SQLite. */
const pools = new WeakMap<Db, pg.Pool>();
export function poolOf(db: Db): pg.Pool | undefined {
  return pools.get(db);
}

/** Arbitrary, fixed advisory-lock key for migrating. */
const migrationLockKey = 7_331_000;

/**
 * Instances started together on an empty database migrate one at a time: the first runs the
 * migrations, the others wait here and then find nothing left to do. kysely's Migrator takes an
 * advisory lock of its own too, but gives up after a timeout, and creates its bookkeeping tables
 * before it takes it (two instances doing that at once can collide); this lock has no timeout and
 * covers all of it. A session lock, on one connection held for the duration.
 */
async function withMigrationLock<T>(db: Db, run: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${migrationLockKey})`.execute(conn);
    try {
      return await run();
    } finally {
      await sql`select pg_advisory_unlock(${migrationLockKey})`.execute(conn);
    }
  });
}

/**
 * Readiness: the database answers and every migration this code knows is applied (another,
 * newer instance may have applied more; an older one never less). What /readyz reports.
 */
export async function checkDatabaseReady(db: Db, timeoutMs = 2_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
  });
  try {
    const names = Object.keys(migrations);
    const query = sql<{ n: number | string }>`select count(*) as n from kysely_migration where name in (${sql.join(names)})`.execute(db);
    const { rows } = await Promise.race([query, timeout]);
    if (Number(rows[0]?.n ?? 0) < names.length) return { ok: false, reason: 'migrations are not done' };
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message === 'timeout' ? 'the database did not answer in time' : 'the database does not answer' };
  } finally {
    clearTimeout(timer);
  }
}

/** An arbitrary, fixed advisory-lock key for start-up work (the development seed). */
const startupLockKey = 7_331_001;

/**
 * Run start-up work (the development seed) one instance at a time: instances starting together on
 * PostgreSQL would otherwise both find "no Acme yet" and both create it.
 */
export async function withStartupLock<T>(db: Db, run: (db: Db) => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'postgres') return run(db);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${startupLockKey})`.execute(conn);
    try {
      return await run(conn);
    } finally {
      await sql`select pg_advisory_unlock(${startupLockKey})`.execute(conn);
    }
  });
}

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);

/**
 * Whether PostgreSQL refused a text value it cannot store (a NUL byte, which SQLite keeps): the
 * request is at fault, not the server.
 */
export function isUnstorableText(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === '22021' || code === '22P05';
}

/** Whether an error means the database cannot be reached right now (as opposed to a bad query). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(message);
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
  // On PostgreSQL kysely's migrator holds an advisory lock: instances starting together migrate once.
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}
