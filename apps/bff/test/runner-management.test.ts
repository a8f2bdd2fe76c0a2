import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import type { TestApiClient} from './api-client.ts';
import { signedIn } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bundle-'));
const bundle = path.join(bundleDir, 'runner.mjs');

beforeAll(async () => {
  fs.writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log("runner");\n');
  t = await startTestBff({ RUNNER_BUNDLE: bundle });
  admin = await signedIn(t.url, 'admin');
  dev = await signedIn(t.url, 'dev');
});
afterAll(() => t.close());

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`never: ${what} (last: ${JSON.stringify(v)})`);
    await new Promise((r) => setTimeout(r, 30));
  }
}
const runnerOf = (id: string) => admin.request('GET', `/api/runners/${id}`).then((r) => r.body);
const auditOf = async (id: string) => (await admin.request('GET', `/api/runners/${id}/audit-log`)).body.entries as { action: string; target: string; details: Record<string, unknown> }[];

async function setUp(name: string, publicUrl?: string) {
  const res = await admin.request('POST', '/api/runners', publicUrl ? { name, publicUrl } : { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { runner: { id: string; pinnedPublicUrl: string | null }; runnerToken: string; startCommand: string };
}

describe('the installable runner download', () => {
  it('serves the file and its SHA-256 in sha256sum format, without a session', async () => {
    const file = await fetch(`${t.url}/downloads/runner.mjs`);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(bytes.toString()).toContain('console.log("runner")');
    const sum = await (await fetch(`${t.url}/downloads/runner.mjs.sha256`)).text();
    expect(sum).toBe(`${createHash('sha256').update(bytes).digest('hex')}  runner.mjs\n`);
    // A rebuilt file gets its new digest.
    fs.writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log("runner v2");\n');
    const next = await (await fetch(`${t.url}/downloads/runner.mjs.sha256`)).text();
    expect(next).not.toBe(sum);
    expect(next).toBe(`${createHash('sha256').update(fs.readFileSync(bundle)).digest('hex')}  runner.mjs\n`);
  });
});

describe('the start command, run by bash as an admin would', () => {
  /**
   * Runs the command in a fresh folder, the token typed at its prompt; returns the folder and output.
   * (Not spawnSync: the BFF serving the download runs in this process.)
   */
  async function runStartCommand(command: string, token: string, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-start-'))) {
    const child = spawn('bash', ['-c', command], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(`${token}\n`);
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    return { dir, output, status };
  }

  it('keeps the token out of the command, writes it to a 0600 file, checks the digest it carries and starts the runner with --token-file', async () => {
    fs.writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log("started with", JSON.stringify(process.argv.slice(2)));\n');
    const created = await setUp('Started by bash', 'http://localhost:18494');
    expect(created.startCommand).not.toContain(created.runnerToken);
    // A token file left by an earlier, careless install is replaced, not reused with its mode.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-start-'));
    fs.writeFileSync(path.join(dir, 'runner.token'), 'old', { mode: 0o644 });
    const run = await runStartCommand(created.startCommand, created.runnerToken, dir);
    expect(run.output).toContain('runner.mjs: OK');
    expect(run.output).toContain('started with ["--token-file","runner.token"]');
    expect(run.status).toBe(0);
    const tokenFile = path.join(run.dir, 'runner.token');
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(tokenFile, 'utf8')).toBe(`${created.runnerToken}\n`);
    expect(run.output).not.toContain(created.runnerToken);
  });

  it('fails the check, and never runs the file, when the served file is not the one the command was made for', async () => {
    fs.writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log("genuine runner");\n');
    const created = await setUp('Tampered download', 'http://localhost:18495');
    // The file (and so its .sha256 beside it) changes on the server, or on the way.
    fs.writeFileSync(bundle, '#!/usr/bin/env node\nconsole.log("tampered runner");\n');
    expect(await (await fetch(`${t.url}/downloads/runner.mjs.sha256`)).text()).toBe(`${createHash('sha256').update(fs.readFileSync(bundle)).digest('hex')}  runner.mjs\n`);
    const run = await runStartCommand(created.startCommand, created.runnerToken);
    expect(run.output).toMatch(/runner.mjs: FAILED/);
    expect(run.output).not.toContain('tampered runner');
    expect(run.status).not.toBe(0);
  });
});

describe('set-up with a public URL', () => {
  it('pins the URL, and for a local URL the listen port, in a command that downloads, verifies and runs the file', async () => {
    const local = await setUp('Pinned local', 'http://localhost:18493/');
    expect(local.runner.pinnedPublicUrl).toBe('http://localhost:18493');
    const sha256 = createHash('sha256').update(fs.readFileSync(bundle)).digest('hex');
    const lines = local.startCommand.split(' \\\n');
    expect(lines).toEqual([
      `printf 'Runner token: ' && read -rs RUNNER_TOKEN_INPUT && echo`,
      `  && (umask 077 && rm -f runner.token && printf '%s\\n' "$RUNNER_TOKEN_INPUT" > runner.token)`,
      '  && unset RUNNER_TOKEN_INPUT',
      `  && curl -fsSLO ${t.url}/downloads/runner.mjs`,
      // The digest travels in the command, not from the server that serves the file.
      `  && echo '${sha256}  runner.mjs' | sha256sum -c -`,
      `  && BFF_URL=${t.url} RUNNER_PUBLIC_URL=http://localhost:18493 RUNNER_PORT=18493 RUNNER_DATA_DIR=./runner-data node runner.mjs --token-file runner.token`,
    ]);
    expect(local.startCommand).not.toContain(local.runnerToken);
    expect(local.startCommand).not.toContain('npm');

    const remote = await setUp('Pinned remote', 'https://runner.acme.internal');
    expect(remote.startCommand).toContain('RUNNER_PUBLIC_URL=https://runner.acme.internal');
    expect(remote.startCommand).not.toContain('RUNNER_PORT=');
  });

  it('refuses a URL that is not http(s), or carries a query or credentials, with a field error', async () => {
    for (const publicUrl of ['ftp://runner', 'not a url', 'https://runner.acme.internal/?x=1', 'https://u:p@runner.acme.internal']) {
      const res = await admin.request('POST', '/api/runners', { name: `Bad ${publicUrl}`, publicUrl });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.publicUrl).toMatch(/http:\/\/ or https:\/\//);
    }
  });

  it('without a URL at set-up, pins the one of the first connection and keeps it', async () => {
    const created = await setUp('First connection pins');
    const first = await connectFakeRunner(t.url, created.runnerToken, undefined, { publicUrl: 'http://localhost:4001' });
    await waitFor(() => runnerOf(created.runner.id), (r) => r.pinnedPublicUrl === 'http://localhost:4001', 'pinned');
    first.close();
    const again = await connectFakeRunner(t.url, created.runnerToken, undefined, { publicUrl: 'http://localhost:4002' });
    const runner = await waitFor(() => runnerOf(created.runner.id), (r) => r.publicUrl === 'http://localhost:4002', 'reported');
    expect(runner.pinnedPublicUrl).toBe('http://localhost:4001');
    again.close();
  });

  it('suggests a free localhost port for admins only', async () => {
    const res = await admin.request('GET', '/api/runners/suggested-public-url');
    expect(res.status).toBe(200);
    expect(res.body.publicUrl).toMatch(/^http:\/\/localhost:\d{2,5}$/);
    expect((await dev.request('GET', '/api/runners/suggested-public-url')).status).toBe(403);
  });
});

describe('runner management', () => {
  it('renames (admins only, names stay unique) and records it', async () => {
    const { runner } = await setUp('Old name');
    await setUp('Taken name');
    expect((await dev.request('PATCH', `/api/runners/${runner.id}`, { name: 'Nope' })).status).toBe(403);
    const clash = await admin.request('PATCH', `/api/runners/${runner.id}`, { name: 'Taken name' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.fields.name).toMatch(/already exists/);
    const res = await admin.request('PATCH', `/api/runners/${runner.id}`, { name: 'New name' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('New name');
    expect(await auditOf(runner.id)).toContainEqual(expect.objectContaining({ action: 'runner.renamed', target: 'New name', details: { from: 'Old name', to: 'New name' } }));
  });

  it('moves the pinned public URL on purpose, records it, and the next start command pins the new one', async () => {
    const { runner } = await setUp('Moving host', 'https://old.acme.internal');
    const res = await admin.request('PATCH', `/api/runners/${runner.id}`, { publicUrl: 'https://new.acme.internal/' });
    expect(res.status).toBe(200);
    expect(res.body.pinnedPublicUrl).toBe('https://new.acme.internal');
    expect((await admin.request('PATCH', `/api/runners/${runner.id}`, { publicUrl: 'javascript:alert(1)' })).status).toBe(400);
    const token = await admin.request('POST', `/api/runners/${runner.id}/token`);
    expect(token.body.startCommand).toContain('RUNNER_PUBLIC_URL=https://new.acme.internal ');
    expect(await auditOf(runner.id)).toContainEqual(
      expect.objectContaining({ action: 'runner.public_url_changed', details: { from: 'https://old.acme.internal', to: 'https://new.acme.internal' } }),
    );
  });

  it('a new token revokes the old one at once: the connected runner is told why, and the old token is refused', async () => {
    const created = await setUp('Re-tokened', 'http://localhost:4100');
    const connected = await connectFakeRunner(t.url, created.runnerToken, undefined, { publicUrl: 'http://localhost:4100' });
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'active', 'active');
    expect((await dev.request('POST', `/api/runners/${created.runner.id}/token`)).status).toBe(403);
    const res = await admin.request('POST', `/api/runners/${created.runner.id}/token`);
    expect(res.status).toBe(200);
    expect(res.body.runnerToken).toMatch(/^rct_/);
    expect(res.body.runnerToken).not.toBe(created.runnerToken);
    expect(res.body.startCommand).not.toContain(res.body.runnerToken);
    expect(res.body.startCommand).toContain('RUNNER_PUBLIC_URL=http://localhost:4100');
    expect(await connected.closed).toEqual({ code: 4004, reason: expect.stringMatching(/token revoked/) });
    await expect(connectFakeRunner(t.url, created.runnerToken)).rejects.toThrow('refused: 401');
    // The same runner (same data folder, so the same key) comes back with the new token.
    const fresh = await connectFakeRunner(t.url, res.body.runnerToken, undefined, { keyPair: connected.keyPair });
    fresh.close();
    const audit = await auditOf(created.runner.id);
    expect(audit).toContainEqual(expect.objectContaining({ action: 'runner.token_replaced', details: { disconnected: true } }));
    expect(JSON.stringify(audit)).not.toContain(res.body.runnerToken);
  });

  it('the Local runner, which npm start runs with its own token, cannot get a new token or be deleted', async () => {
    const local = (await admin.request('GET', '/api/runners')).body.runners.find((r: { kind: string }) => r.kind === 'local');
    for (const [method, p] of [['POST', `/api/runners/${local.id}/token`], ['DELETE', `/api/runners/${local.id}`]] as const) {
      const res = await admin.request(method, p);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toMatch(/npm start/);
    }
  });

  it('delete names what goes, has a connected runner erase it, and removes integrations and environments', async () => {
    const created = await setUp('Doomed', 'http://localhost:4200');
    let erased = 0;
    const connected = await connectFakeRunner(
      t.url,
      created.runnerToken,
      { configure: () => ({}), validateCandidate: () => ({ status: 'valid', message: 'ok', field: null }), countTokens: () => ({ tokens: 3 }), eraseAll: () => ((erased += 1), { tokens: 3, workspaces: 2 }) },
      { publicUrl: 'http://localhost:4200' },
    );
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'active', 'active');
    const integration = await admin.request('POST', `/api/runners/${created.runner.id}/integrations`, {
      provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'secret',
    });
    expect(integration.status).toBe(201);
    const now = new Date().toISOString();
    const devId = (await t.db.selectFrom('users').select('id').where('email', '=', 'dev@acme.test').executeTakeFirstOrThrow()).id;
    const orgId = (await t.db.selectFrom('runners').select('org_id').where('id', '=', created.runner.id).executeTakeFirstOrThrow()).org_id;
    await t.db.insertInto('environments').values({ id: 'env-doomed', org_id: orgId, user_id: devId, runner_id: created.runner.id, context_url: 'https://bitbucket.org/acme/widgets', phase: 'ready', message: null, context_json: null, workspace_path: '/x', created_at: now, updated_at: now }).execute();

    expect((await dev.request('GET', `/api/runners/${created.runner.id}/deletion-impact`)).status).toBe(403);
    const impact = await admin.request('GET', `/api/runners/${created.runner.id}/deletion-impact`);
    expect(impact.body).toEqual({ integrations: [{ id: integration.body.id, provider: 'bitbucket', host: 'bitbucket.org' }], environments: 1, developerTokens: 3, runnerOnline: true });

    expect((await dev.request('DELETE', `/api/runners/${created.runner.id}`)).status).toBe(403);
    // A double click: two deletes at once. One goes ahead; the other finds the runner gone (404).
    const both = await Promise.all([admin.request('DELETE', `/api/runners/${created.runner.id}`), admin.request('DELETE', `/api/runners/${created.runner.id}`)]);
    const [res, twice] = both.sort((a, b) => a.status - b.status) as [(typeof both)[0], (typeof both)[0]];
    expect(res.status).toBe(200);
    expect(twice.status).toBe(404);
    expect(res.body).toEqual({ deletedIntegrations: 1, deletedEnvironments: 1, runnerErased: true, erasedTokens: 3, erasedWorkspaces: 2 });
    expect(erased).toBe(1);
    expect(await connected.closed).toEqual({ code: 4003, reason: expect.stringMatching(/deleted/) });
    expect((await admin.request('GET', `/api/runners/${created.runner.id}`)).status).toBe(404);
    expect(await t.db.selectFrom('scm_integrations').select('id').where('runner_id', '=', created.runner.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('environments').select('id').where('runner_id', '=', created.runner.id).execute()).toEqual([]);
    expect((await dev.request('GET', '/api/environments/env-doomed')).status).toBe(404);
    await expect(connectFakeRunner(t.url, created.runnerToken)).rejects.toThrow('refused: 401');
    // The audit entry outlives the runner.
    const entry = await t.db.selectFrom('audit_log').selectAll().where('runner_id', '=', created.runner.id).where('action', '=', 'runner.deleted').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.details)).toEqual({ integrations: 1, environments: 1, erasedTokens: 3, erasedWorkspaces: 2 });
  });
});

describe('Callback URL changed', () => {
  it('shows on every integration, fails Validate, pauses Connect with what to do, and clears once the admin confirms the new URL', async () => {
    const created = await setUp('Mover', 'http://localhost:4300');
    let validations = 0;
    const handlers = {
      configure: () => ({}),
      validateIntegration: () => ((validations += 1), { status: 'valid', message: 'ok', field: null }),
      // The check before a new Key and Secret is saved (not a Validate).
      validateCandidate: () => ({ status: 'valid', message: 'ok', field: null }),
      checkAuthentication: () => ({ integrationAvailable: true, authenticated: false, accountName: null, reauthorizeReason: null }),
    };
    const first = await connectFakeRunner(t.url, created.runnerToken, handlers, { publicUrl: 'http://localhost:4300' });
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'active', 'active');
    const added = await admin.request('POST', `/api/runners/${created.runner.id}/integrations`, {
      provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'secret',
    });
    expect(added.body.callbackUrl).toBe('http://localhost:4300/oauth/callback');
    expect(added.body.newCallbackUrl).toBeNull();
    first.close();
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'inactive', 'inactive');

    const moved = await connectFakeRunner(t.url, created.runnerToken, handlers, { publicUrl: 'http://localhost:4301' });
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'active' && r.publicUrl === 'http://localhost:4301', 'moved');
    const list = await admin.request('GET', `/api/runners/${created.runner.id}/integrations`);
    const row = list.body.integrations[0];
    expect(row.validation.status).toBe('callback_url_changed');
    expect(row.newCallbackUrl).toBe('http://localhost:4301/oauth/callback');
    expect(row.validation.message).toContain('http://localhost:4301/oauth/callback');
    // Members see the state too (the message tells them it is an admin's job).
    expect((await dev.request('GET', `/api/runners/${created.runner.id}/integrations`)).body.integrations[0].validation.status).toBe('callback_url_changed');

    const before = validations;
    const validated = await admin.request('POST', `/api/runners/${created.runner.id}/integrations/${row.id}/validate`);
    expect(validated.body.validation.status).toBe('callback_url_changed');
    expect(validations).toBe(before);

    const check = await dev.request('POST', `/api/runners/${created.runner.id}/check-authentication`, { host: 'bitbucket.org' });
    expect(check.body.integrationAvailable).toBe(true);
    expect(check.body.authorizeUrl).toBeNull();
    expect(check.body.unavailableReason).toMatch(/Ask an admin of your organization \(admin@acme\.test\)/);
    await dev.request('GET', '/api/auth/session');
    const start = await dev.request('GET', `/api/connect/start?${new URLSearchParams({ runnerId: created.runner.id, host: 'bitbucket.org', csrf: dev.csrfToken! })}`);
    expect(start.status).toBe(200);
    expect(start.text).toContain('Ask an admin');
    expect(start.headers.get('location')).toBeNull();

    const wrong = await admin.request('PATCH', `/api/runners/${created.runner.id}/integrations/${row.id}`, { callbackUrl: 'http://localhost:4300/oauth/callback' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.callbackUrl).toContain('http://localhost:4301/oauth/callback');
    const confirmed = await admin.request('PATCH', `/api/runners/${created.runner.id}/integrations/${row.id}`, { callbackUrl: 'http://localhost:4301/oauth/callback' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.newCallbackUrl).toBeNull();
    expect(confirmed.body.callbackUrl).toBe('http://localhost:4301/oauth/callback');
    const again = await dev.request('POST', `/api/runners/${created.runner.id}/check-authentication`, { host: 'bitbucket.org' });
    expect(again.body.authorizeUrl).toContain('/api/connect/start');
    expect(await auditOf(created.runner.id)).toContainEqual(expect.objectContaining({ action: 'integration.updated', details: expect.objectContaining({ changes: ['callback_url_confirmed'] }) }));
    moved.close();
  });
});

describe('environment delete', () => {
  it('has the runner remove the workspace first; an offline runner keeps the environment; only its owner may', async () => {
    const created = await setUp('Workspaces', 'http://localhost:4400');
    const removed: string[] = [];
    const connected = await connectFakeRunner(t.url, created.runnerToken, { configure: () => ({}), deleteWorkspace: (p: { environmentId: string }) => (removed.push(p.environmentId), { removed: true }) });
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'active', 'active');
    const now = new Date().toISOString();
    const devId = (await t.db.selectFrom('users').select('id').where('email', '=', 'dev@acme.test').executeTakeFirstOrThrow()).id;
    const orgId = (await t.db.selectFrom('runners').select('org_id').where('id', '=', created.runner.id).executeTakeFirstOrThrow()).org_id;
    const env = (id: string) => ({ id, org_id: orgId, user_id: devId, runner_id: created.runner.id, context_url: 'https://bitbucket.org/acme/widgets', phase: 'ready' as const, message: null, context_json: null, workspace_path: `/srv/runner-data/workspaces/${id}`, created_at: now, updated_at: now });
    await t.db.insertInto('environments').values([env('env-a'), env('env-b')]).execute();

    expect((await dev.request('GET', '/api/environments/env-a')).body.workspacePath).toBe('/srv/runner-data/workspaces/env-a');
    expect((await admin.request('DELETE', '/api/environments/env-a')).status).toBe(404);
    expect((await dev.request('DELETE', '/api/environments/env-a')).status).toBe(204);
    expect(removed).toEqual(['env-a']);
    expect((await dev.request('GET', '/api/environments/env-a')).status).toBe(404);

    connected.close();
    await waitFor(() => runnerOf(created.runner.id), (r) => r.phase === 'inactive', 'inactive');
    const offline = await dev.request('DELETE', '/api/environments/env-b');
    expect(offline.status).toBe(502);
    expect(offline.body.error.message).toMatch(/Start the runner, then delete the environment again/);
    expect((await dev.request('GET', '/api/environments/env-b')).status).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  it('documents every route of this issue', async () => {
    const doc = (await admin.request('GET', '/api/openapi.json')).body;
    expect(doc.paths['/api/runners/{runnerId}'].patch.operationId).toBe('updateRunner');
    expect(doc.paths['/api/runners/{runnerId}'].delete.operationId).toBe('deleteRunner');
    expect(doc.paths['/api/runners/{runnerId}/token'].post.operationId).toBe('newRunnerToken');
    expect(doc.paths['/api/runners/{runnerId}/deletion-impact'].get.operationId).toBe('getRunnerDeletionImpact');
    expect(doc.paths['/api/runners/suggested-public-url'].get.operationId).toBe('suggestRunnerPublicUrl');
    expect(doc.paths['/api/environments/{environmentId}'].delete.operationId).toBe('deleteEnvironment');
    expect(doc.paths['/api/runners'].post.requestBody.content['application/json'].schema.properties.publicUrl).toBeTruthy();
  });
});
