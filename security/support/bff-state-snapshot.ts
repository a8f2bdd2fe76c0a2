import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * What a refused request must not change, read from the BFF's SQLite file (read-only, beside the
 * running BFF: WAL lets us read while it writes), or from its PostgreSQL database. Columns that move on their own are left out:
 * heartbeats (runners.last_seen_at, phase, version) and sliding session times.
 */
const queries: Record<string, string> = {
  orgs: 'SELECT * FROM orgs ORDER BY id',
  // Not last_seen_at: every signed-in request may move it (once a minute), like sessions' last_used_at.
  users: 'SELECT id, org_id, email, name, role, password_hash, sign_in_method, created_at FROM users ORDER BY id',
  account_links: 'SELECT * FROM account_links ORDER BY id',
  setup_codes: 'SELECT * FROM setup_codes ORDER BY code_hash',
  sessions: 'SELECT id_hash, user_id, created_at FROM sessions ORDER BY id_hash',
  runners: 'SELECT id, org_id, name, kind, token_hash, region, public_url, public_key_jwk, created_at, created_by FROM runners ORDER BY id',
  scm_integrations: 'SELECT * FROM scm_integrations ORDER BY id',
  oauth_flows: 'SELECT * FROM oauth_flows ORDER BY id',
  environments: 'SELECT * FROM environments ORDER BY id',
  audit_log: 'SELECT * FROM audit_log ORDER BY seq',
};

export type BffStateSnapshot = Record<string, unknown[]>;

export function bffDatabaseFile(dataDir: string): string {
  return path.join(dataDir, 'bff', 'runner-console.sqlite');
}

/**
 * Every row the API could change, except environments whose ids are in `ignoreEnvironmentIds`
 * (accepted creations). From `databaseUrl` when the BFF runs on PostgreSQL, else its SQLite file.
 */
export async function snapshotBffState(source: { dataDir: string; databaseUrl?: string }, opts: { ignoreEnvironmentIds?: ReadonlySet<string> } = {}): Promise<BffStateSnapshot> {
  const keep = (table: string, rows: Record<string, unknown>[]) =>
    table === 'environments' && opts.ignoreEnvironmentIds ? rows.filter((r) => !opts.ignoreEnvironmentIds!.has(String(r.id))) : rows;
  const snapshot: BffStateSnapshot = {};
  if (source.databaseUrl) {
    const client = new pg.Client({ connectionString: source.databaseUrl });
    await client.connect();
    try {
      for (const [table, sql] of Object.entries(queries)) snapshot[table] = keep(table, (await client.query(sql)).rows as Record<string, unknown>[]);
    } finally {
      await client.end();
    }
    return snapshot;
  }
  const db = new Database(bffDatabaseFile(source.dataDir), { readonly: true, fileMustExist: true });
  try {
    for (const [table, sql] of Object.entries(queries)) snapshot[table] = keep(table, db.prepare(sql).all() as Record<string, unknown>[]);
    return snapshot;
  } finally {
    db.close();
  }
}

/** Names of the tables whose rows differ, with a short sample of the difference. */
export function diffBffState(before: BffStateSnapshot, after: BffStateSnapshot): string[] {
  const diffs: string[] = [];
  for (const table of Object.keys(before)) {
    const a = JSON.stringify(before[table]);
    const b = JSON.stringify(after[table]);
    if (a !== b) diffs.push(`${table}: ${before[table]!.length} rows before, ${after[table]!.length} after; after=${b.slice(0, 400)}`);
  }
  return diffs;
}
