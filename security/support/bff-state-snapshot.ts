import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What a refused request must not change, read from the BFF's SQLite file (read-only, beside the
 * running BFF: WAL lets us read while it writes). Columns that move on their own are left out:
 * heartbeats (runners.last_seen_at, phase, version) and sliding session times.
 */
const queries: Record<string, string> = {
  orgs: 'SELECT * FROM orgs ORDER BY id',
  users: 'SELECT * FROM users ORDER BY id',
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

/** Every row the API could change, except environments whose ids are in `ignoreEnvironmentIds` (accepted creations). */
export function snapshotBffState(dataDir: string, opts: { ignoreEnvironmentIds?: ReadonlySet<string> } = {}): BffStateSnapshot {
  const db = new Database(bffDatabaseFile(dataDir), { readonly: true, fileMustExist: true });
  try {
    const snapshot: BffStateSnapshot = {};
    for (const [table, sql] of Object.entries(queries)) {
      let rows = db.prepare(sql).all() as Record<string, unknown>[];
      if (table === 'environments' && opts.ignoreEnvironmentIds) rows = rows.filter((r) => !opts.ignoreEnvironmentIds!.has(String(r.id)));
      snapshot[table] = rows;
    }
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
