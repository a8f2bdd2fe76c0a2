import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localRunnerToken, type TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { createOtherOrgAdmin } from './other-org.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
});
afterAll(() => t.close());

async function waitForPhase(client: TestApiClient, runnerId: string, phase: string, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.request('GET', `/api/runners/${runnerId}`);
    if (res.body?.phase === phase) return res.body;
    if (Date.now() > deadline) throw new Error(`runner never became ${phase} (is ${res.body?.phase})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('runners', () => {
  it('lists the seeded Local runner for members', async () => {
    const res = await dev.request('GET', '/api/runners');
    expect(res.status).toBe(200);
    expect(res.body.runners.map((r: { name: string }) => r.name)).toContain('Local runner');
  });

  it('answers 401 when signed out', async () => {
    expect((await new TestApiClient(t.url).request('GET', '/api/runners')).status).toBe(401);
  });

  it('lets only admins set up a runner', async () => {
    const res = await dev.request('POST', '/api/runners', { name: 'Not allowed' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/Only organization admins/);
  });

  it('gives a one-time token, stores only its hash, and refuses a duplicate name', async () => {
    const res = await admin.request('POST', '/api/runners', { name: 'Build farm' });
    expect(res.status).toBe(201);
    expect(res.body.runnerToken).toMatch(/^rct_/);
    // The token is pasted when the command asks for it: never part of the command itself.
    expect(res.body.startCommand).not.toContain(res.body.runnerToken);
    expect(res.body.startCommand).toContain('--token-file runner.token');
    expect(res.body.runner.phase).toBe('created');
    const row = await t.db.selectFrom('runners').selectAll().where('id', '=', res.body.runner.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(res.body.runnerToken);
    const listed = await admin.request('GET', `/api/runners/${res.body.runner.id}`);
    expect(JSON.stringify(listed.body)).not.toContain(res.body.runnerToken);
    const dup = await admin.request('POST', '/api/runners', { name: 'Build farm' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.fields.name).toMatch(/already exists/);
  });

  it('validates the name', async () => {
    const res = await admin.request('POST', '/api/runners', { name: '   ' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.name).toMatch(/name/);
  });

  it('refuses control and text-direction characters in a name, and shows an old stored one escaped', async () => {
    const spoof = 'a\u0000\u202e<script>';
    const res = await admin.request('POST', '/api/runners', { name: spoof });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.name).toMatch(/control or text-direction characters/);
    // A row written before the rule: every reader gets the characters as visible escapes.
    const made = await admin.request('POST', '/api/runners', { name: `Escaped ${Math.random()}` });
    // PostgreSQL text cannot hold NUL at all: the stored row has ESC and a right-to-left override.
    await t.db.updateTable('runners').set({ name: 'a\u001b\u202e<script>' }).where('id', '=', made.body.runner.id).execute();
    // Any write through the API drops the runners store's cached row.
    expect((await admin.request('PATCH', `/api/runners/${made.body.runner.id}`, { publicUrl: 'http://localhost:4996' })).status).toBe(200);
    const shown = await admin.request('GET', `/api/runners/${made.body.runner.id}`);
    expect(shown.body.name).toBe('a\\u{001B}\\u{202E}<script>');
  });

  it('trims a pasted name and public URL', async () => {
    const res = await admin.request('POST', '/api/runners', { name: `  Pasted ${Date.now()}\u0020`, publicUrl: ' http://localhost:4997 ' });
    expect(res.status).toBe(201);
    expect(res.body.runner.name).toMatch(/^Pasted \d+$/);
    expect(res.body.runner.pinnedPublicUrl).toBe('http://localhost:4997');
  });

  it('a started runner becomes active with its key, answers ping, and turns inactive when it stops', async () => {
    const created = await admin.request('POST', '/api/runners', { name: 'Phase runner' });
    const id = created.body.runner.id;
    const runner = await connectFakeRunner(t.url, created.body.runnerToken);
    const active = await waitForPhase(admin, id, 'active');
    expect(active.publicKey.kid).toBe(runner.publicJwk.kid);
    expect(active.version).toBe('test');
    const ping = await dev.request('POST', `/api/runners/${id}/ping`);
    expect(ping.status).toBe(200);
    expect(ping.body.runnerVersion).toBe('test');
    runner.close();
    await waitForPhase(admin, id, 'inactive');
    const offline = await dev.request('POST', `/api/runners/${id}/ping`);
    expect(offline.status).toBe(502);
    expect(offline.body.error.code).toBe('runner_offline');
  });

  it('marks a silent runner degraded, then inactive', async () => {
    const created = await admin.request('POST', '/api/runners', { name: 'Silent runner' });
    const runner = await connectFakeRunner(t.url, created.body.runnerToken, {}, { heartbeat: false });
    await waitForPhase(admin, created.body.runner.id, 'degraded');
    await waitForPhase(admin, created.body.runner.id, 'inactive');
    runner.close();
  });

  it('refuses an unknown runner token', async () => {
    await expect(connectFakeRunner(t.url, 'rct_this-token-does-not-exist-at-all')).rejects.toThrow(/401/);
  });

  it('answers 404 for another org’s runner, and hides it from their list', async () => {
    const other = await createOtherOrgAdmin(t.db);
    const globex = new TestApiClient(t.url);
    await globex.signIn(other.email, other.password);
    const ours = (await admin.request('GET', '/api/runners')).body.runners[0];
    expect((await globex.request('GET', `/api/runners/${ours.id}`)).status).toBe(404);
    expect((await globex.request('POST', `/api/runners/${ours.id}/ping`)).status).toBe(404);
    expect((await globex.request('GET', '/api/runners')).body.runners).toEqual([]);
  });

  it('pushes phase changes as server-sent events', async () => {
    const res = await fetch(`${t.url}/api/events`, { headers: { cookie: admin.cookieHeader() } });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const runner = await connectFakeRunner(t.url, localRunnerToken);
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('"phase":"active"')) text += decoder.decode((await reader.read()).value);
    expect(text).toContain('event: runner.changed');
    expect(text).toContain('Local runner');
    await reader.cancel();
    runner.close();
  });
});

describe('OpenAPI', () => {
  it('serves a document generated from the contracts', async () => {
    const res = await new TestApiClient(t.url).request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/runners/{runnerId}'].get.operationId).toBe('getRunner');
    expect(res.body.paths['/api/runners'].post.requestBody.content['application/json'].schema.properties.name).toBeTruthy();
  });

  it('describes every operation, with its real success status and its error bodies', async () => {
    const doc = (await new TestApiClient(t.url).request('GET', '/api/openapi.json')).body;
    const operations = Object.values(doc.paths as Record<string, Record<string, any>>).flatMap((byMethod) => Object.values(byMethod));
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      expect(op.description, op.operationId).toMatch(/\w{3,}.*\./);
      const statuses = Object.keys(op.responses);
      expect(statuses.filter((s) => /^2|^3/.test(s)), op.operationId).toHaveLength(1);
      for (const status of statuses.filter((s) => /^[45]/.test(s))) {
        expect(op.responses[status].description, `${op.operationId} ${status}`).toBeTruthy();
        expect(op.responses[status].content['application/json'].example.error.code, `${op.operationId} ${status}`).toBeTruthy();
      }
      if (op['x-access'] !== 'public') expect(statuses, op.operationId).toContain('401');
      // Every operation with a body says what a body that is not JSON gets.
      if (op.requestBody) expect(statuses, op.operationId).toEqual(expect.arrayContaining(['413', '415']));
      if (op['x-access'] === 'admin') expect(op.responses['403'].description).toMatch(/not an admin/);
    }
    // The three creates answer 201, as the BFF does.
    for (const path of ['/api/runners', '/api/runners/{runnerId}/integrations', '/api/environments']) {
      expect(Object.keys(doc.paths[path].post.responses), path).toContain('201');
      expect(Object.keys(doc.paths[path].post.responses), path).not.toContain('200');
    }
    const created = await admin.request('POST', '/api/runners', { name: `openapi ${Math.random()}` });
    expect(created.status).toBe(201);
    // A wrong Key or Secret is documented where it is answered.
    expect(doc.paths['/api/runners/{runnerId}/integrations'].post.responses['400'].description).toMatch(/refused the Key and Secret/);
  });

  it('renders it at /api/docs with Redoc served from this origin, under a CSP with no inline script or eval', async () => {
    const page = await fetch(`${t.url}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"><\/script>/g)].map((m) => m[1]!);
    expect(scripts.some((src) => /^\/api\/docs\/assets\/redoc-[\d.]+\.standalone\.js$/.test(src))).toBe(true);
    expect(html).not.toMatch(/<script>|https?:\/\/(?!localhost)/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    const nonce = /style-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    // A nonce is only worth something if it changes on every answer.
    const again = (await fetch(`${t.url}/api/docs`)).headers.get('content-security-policy');
    expect(again).not.toContain(nonce);
    for (const src of scripts) {
      const asset = await fetch(`${t.url}${src}`);
      expect(asset.status, src).toBe(200);
      expect(asset.headers.get('content-type'), src).toMatch(/javascript/);
      // Nothing is fetched from a CDN: Redoc's one CDN image is replaced before it is served.
      expect(await asset.text(), src).not.toContain('cdn.redoc.ly');
    }
  });
});
