import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createTokenCipher } from '../apps/runner/src/tokens/token-cipher.ts';
import { openTokenJournal, type JournalRecord } from '../apps/runner/src/tokens/token-journal.ts';
import type { TestBrowser } from '../test-support/test-stack.ts';
import { acmeOrgId, openBffDb, seedAuditEntries, seedEnvironments, seedIntegrations, seedRunners, seedUsers } from './seed.ts';
import type { BenchStack } from './stack.ts';
import { ms, percentile, ratio, type BenchRow } from './stats.ts';

interface Probe {
  name: string;
  client: TestBrowser;
  method: string;
  path: string;
  body?: unknown;
}

const SAMPLES = 300;

/**
 * The list endpoints' p95 with 10 runners, then with 1,000 runners, 5,000 integrations, 10,000 users
 * and 100,000 runner-side tokens. Sequential requests (one at a time), so the figure is the
 * endpoint's own latency, not queueing.
 */
export async function benchScale(stack: BenchStack, admin: TestBrowser, dev: TestBrowser, ids: { localRunnerId: string; bench50RunnerId: string }): Promise<BenchRow[]> {
  const db = openBffDb(stack);
  const orgId = acmeOrgId(db);
  const adminId = (db.prepare("SELECT id FROM users WHERE email = 'admin@acme.test'").get() as { id: string }).id;
  const integration = db.prepare("SELECT id, client_id FROM scm_integrations WHERE runner_id = ? AND host = 'bitbucket.org'").get(ids.localRunnerId) as
    | { id: string; client_id: string }
    | undefined;
  if (!integration) throw new Error('the Local runner has no bitbucket.org integration');

  const probes: Probe[] = [
    { name: 'GET /api/runners', client: admin, method: 'GET', path: '/api/runners' },
    { name: 'GET /api/runners/:id/integrations', client: admin, method: 'GET', path: `/api/runners/${ids.bench50RunnerId}/integrations` },
    { name: 'GET /api/environments', client: admin, method: 'GET', path: '/api/environments' },
    { name: 'GET /api/runners/:id/audit-log', client: admin, method: 'GET', path: `/api/runners/${ids.localRunnerId}/audit-log` },
    { name: 'GET /api/git-authentications (runner tokens)', client: dev, method: 'GET', path: '/api/git-authentications' },
    { name: 'POST check-authentication (runner tokens)', client: dev, method: 'POST', path: `/api/runners/${ids.localRunnerId}/check-authentication`, body: { host: 'bitbucket.org' } },
  ];

  // Small: 10 runners in all, and a tenth of everything else.
  const existing = (db.prepare('SELECT count(*) AS n FROM runners').get() as { n: number }).n;
  const small = seedRunners(db, orgId, Math.max(0, 10 - existing), 'Bench small runner');
  seedIntegrations(db, orgId, small, 5);
  seedUsers(db, orgId, 1_000);
  seedAuditEntries(db, orgId, ids.localRunnerId, 100);
  seedEnvironments(db, orgId, adminId, ids.localRunnerId, 50);
  seedTokens(stack, integration, 10_000, 0);
  const before = await measure(stack, probes);

  // Large: 1,000 runners, 5,000 integrations, 10,000 users, 100,000 runner-side tokens.
  const runnersNow = (db.prepare('SELECT count(*) AS n FROM runners').get() as { n: number }).n;
  const large = seedRunners(db, orgId, 1_000 - runnersNow, 'Bench runner');
  const integrationsNow = (db.prepare('SELECT count(*) AS n FROM scm_integrations').get() as { n: number }).n;
  seedIntegrations(db, orgId, large, Math.ceil((5_000 - integrationsNow) / large.length));
  seedUsers(db, orgId, Math.max(0, 10_000 - (db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n), 1_000);
  seedAuditEntries(db, orgId, ids.localRunnerId, 1_000);
  seedEnvironments(db, orgId, adminId, ids.localRunnerId, 500);
  seedTokens(stack, integration, 90_000, 10_000);
  const counts = db
    .prepare('SELECT (SELECT count(*) FROM runners) AS runners, (SELECT count(*) FROM scm_integrations) AS integrations, (SELECT count(*) FROM users) AS users')
    .get() as { runners: number; integrations: number; users: number };
  db.close();
  const after = await measure(stack, probes);

  return probes.map((p, i) => {
    const [b, a] = [before[i]!, after[i]!];
    return {
      benchmark: `4. Scale: ${p.name}, p95 (${counts.runners} runners, ${counts.integrations} integrations, ${counts.users} users, 100,000 tokens; ${a.items})`,
      figure: ms(a.p95),
      baseline: `${ms(b.p95)} (10 runners, p95)`,
      ratio: ratio(a.p95, b.p95),
      budget: 'p95 < 20 ms and ≤ 2× baseline',
      pass: a.p95 < 20 && a.p95 <= 2 * b.p95,
    };
  });
}

async function measure(stack: BenchStack, probes: Probe[]) {
  const out: { p95: number; items: string }[] = [];
  for (const p of probes) {
    const times: number[] = [];
    let items = '';
    for (let i = 0; i < SAMPLES + 20; i++) {
      const t0 = performance.now();
      const res = await p.client.api(stack.dashboard, p.method, p.path, p.body);
      const elapsed = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${p.method} ${p.path} answered ${res.status}`);
      if (i >= 20) times.push(elapsed);
      if (i === 0) items = describeBody(res.body);
    }
    out.push({ p95: percentile(times, 95), items });
  }
  return out;
}

function describeBody(body: unknown): string {
  if (!body || typeof body !== 'object') return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    if (Array.isArray(v)) parts.push(`${v.length} ${k}`);
    if (k === 'nextCursor') parts.push(v ? 'more pages' : 'last page');
  }
  return parts.join(', ');
}

/**
 * Runner-side tokens, encrypted with the runner's own cipher (apps/runner/src/tokens/token-cipher.ts
 * and its key in the runner's data folder), so every row is valid and decrypts. They belong to
 * synthetic user ids on the Local runner's real integration (the runner drops tokens of integrations
 * it does not know), appended to the runner's token journal in one write; the running runner picks
 * the new lines up on its next read.
 */
function seedTokens(stack: BenchStack, integration: { id: string; client_id: string }, count: number, offset: number) {
  const dataDir = path.join(stack.dataDir, 'runner');
  const cipher = createTokenCipher(dataDir);
  const journal = openTokenJournal(path.join(dataDir, 'tokens.jsonl'));
  const aad = (userId: string, kind: string) => `${userId}|${integration.id}|${kind}`;
  const now = new Date().toISOString();
  const expires = new Date(Date.now() + 2 * 3600_000).toISOString();
  const records: JournalRecord[] = [];
  for (let i = offset; i < offset + count; i++) {
    const userId = `bench-user-${i}`;
    records.push({
      put: {
        id: randomUUID(),
        user_id: userId,
        host: 'bitbucket.org',
        integration_id: integration.id,
        client_id: integration.client_id,
        account_name: `Bench ${i}`,
        account_username: `bench${i}`,
        account_uuid: `{${randomUUID()}}`,
        email: `bench${i}@acme.test`,
        scopes: 'account repository repository:write pullrequest issue',
        access_ct: cipher.encrypt(`bench-access-${i}`, aad(userId, 'access')),
        refresh_ct: cipher.encrypt(`bench-refresh-${i}`, aad(userId, 'refresh')),
        expires_at: expires,
        needs_reauth: 0,
        reauth_reason: null,
        connected_at: now,
        updated_at: now,
      },
    });
  }
  journal.commit(records);
  journal.close();
}
