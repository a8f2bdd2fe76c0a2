import { randomUUID } from 'node:crypto';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { BenchStack } from './stack.ts';

/**
 * Direct inserts into the BFF's SQLite file (WAL, so the running BFF sees them at once), in one
 * transaction per table. Rows are shaped exactly like the ones the services write.
 */
export function openBffDb(stack: BenchStack) {
  const db = new SQLite(path.join(stack.dataDir, 'bff', 'runner-console.sqlite'));
  db.pragma('busy_timeout = 5000');
  return db;
}

export function acmeOrgId(db: SQLite.Database): string {
  return (db.prepare("SELECT id FROM orgs WHERE name = 'Acme'").get() as { id: string }).id;
}

export function seedRunners(db: SQLite.Database, orgId: string, count: number, prefix: string): string[] {
  const insert = db.prepare(
    `INSERT INTO runners (id, org_id, name, kind, token_hash, phase, version, region, public_url, public_key_jwk, last_seen_at, created_at, created_by)
     VALUES (?, ?, ?, 'self-hosted', NULL, 'inactive', NULL, NULL, NULL, NULL, NULL, ?, NULL)`,
  );
  const ids: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = randomUUID();
      insert.run(id, orgId, `${prefix} ${String(i).padStart(5, '0')}`, new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString());
      ids.push(id);
    }
  })();
  return ids;
}

export function seedIntegrations(db: SQLite.Database, orgId: string, runnerIds: string[], perRunner: number): void {
  const insert = db.prepare(
    `INSERT INTO scm_integrations (id, org_id, runner_id, provider, host, oauth_enabled, client_id, secret_envelope, secret_kid, validation_status, validation_message, validated_at, created_at, updated_at, updated_by)
     VALUES (?, ?, ?, 'bitbucket', ?, 0, ?, NULL, NULL, 'not_validated', NULL, NULL, ?, ?, 'admin@acme.test')`,
  );
  db.transaction(() => {
    for (const runnerId of runnerIds) {
      for (let i = 0; i < perRunner; i++) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        insert.run(randomUUID(), orgId, runnerId, `bitbucket-${i}.bench.test`, `bench-client-${i}`, at, at);
      }
    }
  })();
}

export function seedUsers(db: SQLite.Database, orgId: string, count: number, offset = 0): void {
  // Not a usable password hash: these users never sign in, they only make the tables big.
  const insert = db.prepare(`INSERT INTO users (id, org_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'member', 'bench:not-a-hash', ?)`);
  db.transaction(() => {
    for (let i = offset; i < offset + count; i++) insert.run(randomUUID(), orgId, `bench-${i}@acme.test`, `Bench user ${i}`, new Date().toISOString());
  })();
}

export function seedAuditEntries(db: SQLite.Database, orgId: string, runnerId: string, count: number): void {
  const insert = db.prepare(
    `INSERT INTO audit_log (id, org_id, runner_id, actor_id, actor_email, action, target, details, at) VALUES (?, ?, ?, NULL, 'admin@acme.test', 'integration.updated', 'Bitbucket (bitbucket.org)', '{}', ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(randomUUID(), orgId, runnerId, new Date().toISOString());
  })();
}

export function seedEnvironments(db: SQLite.Database, orgId: string, userId: string, runnerId: string, count: number): void {
  const insert = db.prepare(
    `INSERT INTO environments (id, org_id, user_id, runner_id, context_url, phase, message, context_json, created_at, updated_at) VALUES (?, ?, ?, ?, 'https://bitbucket.org/acme/widgets', 'ready', NULL, NULL, ?, ?)`,
  );
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      insert.run(randomUUID(), orgId, userId, runnerId, at, at);
    }
  })();
}
