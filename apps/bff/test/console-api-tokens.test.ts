import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestBff } from './test-bff.ts';
import type { TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { hashPassword } from '../src/services/password-hashing.ts';
import { openClientSecret, sealClientSecret } from '@runner-console/envelope';

/**
 * API tokens for automation (issue 27 item 4), called the way CI or Terraform would: plain fetch
 * with `Authorization: Bearer`, no cookie, no CSRF header.
 */
let t: TestBff;
let admin: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin } = await startSignedInBff());
});
afterAll(() => t.close());

function curl(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(t.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  }).then(async (res) => ({ status: res.status, body: (await res.json().catch(() => undefined)) as any }));
}

async function makeToken(client: TestApiClient, name: string, expiresInDays = 30) {
  const res = await client.request('POST', '/api/console-api-tokens', { name, expiresInDays });
  expect(res.status).toBe(201);
  return res.body as { token: { id: string; name: string }; secret: string };
}

/** A second admin, so removing or demoting them leaves the seed admin in place. */
async function makeAdmin(role: 'admin' | 'member' = 'admin') {
  const email = `ci-admin-${randomUUID().slice(0, 8)}@acme.test`;
  const org = await t.db.selectFrom('orgs').select('id').where('name', '=', 'Acme').executeTakeFirstOrThrow();
  const id = randomUUID();
  await t.db
    .insertInto('users')
    .values({ id, org_id: org.id, email, name: 'CI Admin', role, password_hash: await hashPassword('ci-admin-pass'), created_at: new Date().toISOString() })
    .execute();
  const { TestApiClient } = await import('./api-client.ts');
  const client = new TestApiClient(t.url);
  await client.signIn(email, 'ci-admin-pass');
  return { id, email, client };
}

describe('API tokens for automation', () => {
  it('creates a runner and a Bitbucket integration with curl-style requests, and the audit log names the token', async () => {
    const { token, secret } = await makeToken(admin, 'CI pipeline');
    expect(secret).toMatch(/^rcat_[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored; the list never shows the token again.
    const stored = await t.db.selectFrom('console_api_tokens').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(5));
    const list = await admin.request('GET', '/api/console-api-tokens');
    expect(list.body.tokens.find((x: any) => x.id === token.id)).toMatchObject({ name: 'CI pipeline', lastUsedAt: null, revokedAt: null, createdBy: { email: 'admin@acme.test' } });
    expect(list.text).not.toContain(secret.slice(5));

    const runner = await curl('POST', '/api/runners', secret, { name: `ci runner ${randomUUID().slice(0, 6)}` });
    expect(runner.status).toBe(201);
    const link = await connectFakeRunner(t.url, runner.body.runnerToken, {
      ping: () => ({ version: 'test' }),
      configure: () => ({ applied: 1 }),
      validateCandidate: () => ({ status: 'valid', message: 'accepted', field: null }),
    });
    const runnerId = runner.body.runner.id as string;
    const integration = await curl('POST', `/api/runners/${runnerId}/integrations`, secret, {
      provider: 'bitbucket',
      host: 'bitbucket.org',
      oauthEnabled: true,
      clientId: 'ci-key',
      oauthPlaintextClientSecret: 'ci-plaintext-secret',
    });
    expect(integration.status).toBe(201);
    expect(JSON.stringify(integration.body)).not.toContain('ci-plaintext-secret');

    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    const actors = audit.body.entries.map((e: any) => e.actor);
    expect(actors).toContain('API token "CI pipeline" (admin@acme.test)');
    const listed = (await admin.request('GET', '/api/console-api-tokens')).body.tokens.find((x: any) => x.id === token.id);
    expect(listed.lastUsedAt).not.toBeNull();
    link.close();
  });

  it('adds the integration with a secret sealed on the client, as README\'s automation example does with `runner.mjs seal-secret`', async () => {
    const { secret } = await makeToken(admin, 'sealed pipeline');
    const runner = await curl('POST', '/api/runners', secret, { name: `sealed ci runner ${randomUUID().slice(0, 6)}` });
    expect(runner.status).toBe(201);
    const runnerId = runner.body.runner.id as string;
    // The runner opens what reaches it with its private key, as the real one does before it checks the pair.
    const opened: string[] = [];
    const link = await connectFakeRunner(t.url, runner.body.runnerToken, {
      ping: () => ({ version: 'test' }),
      configure: () => ({ applied: 1 }),
      validateCandidate: async ({ integration }) => {
        opened.push(await openClientSecret({ envelope: integration.clientSecretEnvelope, privateKey: link.keyPair.privateJwk, expected: { runnerId, kid: link.keyPair.publicJwk.kid, host: integration.host } }));
        return { status: 'valid', message: 'accepted', field: null };
      },
    });
    // `GET /api/runners/:runnerId` is the file seal-secret reads; sealClientSecret is what it runs.
    const fetched = await curl('GET', `/api/runners/${runnerId}`, secret);
    expect(fetched.status).toBe(200);
    expect(fetched.body.publicKey).toEqual(link.publicJwk);
    const envelope = await sealClientSecret({ secret: 'ci-sealed-secret', publicJwk: fetched.body.publicKey, runnerId, host: 'bitbucket.org' });
    const integration = await curl('POST', `/api/runners/${runnerId}/integrations`, secret, {
      provider: 'bitbucket',
      host: 'bitbucket.org',
      oauthEnabled: true,
      clientId: 'ci-sealed-key',
      oauthClientSecretEnvelope: envelope,
    });
    expect(integration.status).toBe(201);
    expect(opened).toEqual(['ci-sealed-secret']);
    expect(JSON.stringify(integration.body)).not.toContain(envelope);
    // Sealed for another runner, an envelope is refused before the runner sees it.
    const elsewhere = await sealClientSecret({ secret: 'ci-sealed-secret', publicJwk: fetched.body.publicKey, runnerId: 'run_elsewhere', host: 'bitbucket.org' });
    const moved = await curl('PATCH', `/api/runners/${runnerId}/integrations/${integration.body.id}`, secret, { oauthClientSecretEnvelope: elsewhere });
    expect(moved.status).toBe(400);
    expect(moved.body.error.fields.clientSecret).toMatch(/another runner/);
    expect(opened).toHaveLength(1);
    link.close();
  });

  it('writes last used at most once a minute', async () => {
    const { token, secret } = await makeToken(admin, 'busy pipeline');
    expect((await curl('GET', '/api/runners', secret)).status).toBe(200);
    const first = await t.db.selectFrom('console_api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect((await curl('GET', '/api/runners', secret)).status).toBe(200);
    const second = await t.db.selectFrom('console_api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(first.last_used_at).not.toBeNull();
    expect(second.last_used_at).toBe(first.last_used_at);
    // Older than a minute: the next call writes again.
    await t.db.updateTable('console_api_tokens').set({ last_used_at: new Date(Date.now() - 61_000).toISOString() }).where('id', '=', token.id).execute();
    await curl('GET', '/api/runners', secret);
    const third = await t.db.selectFrom('console_api_tokens').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(Date.parse(third.last_used_at!)).toBeGreaterThan(Date.now() - 10_000);
  });

  it('refuses a revoked token with 401, and revoking twice answers 204 both times', async () => {
    const { token, secret } = await makeToken(admin, 'to revoke');
    expect((await curl('GET', '/api/runners', secret)).status).toBe(200);
    expect((await admin.request('DELETE', `/api/console-api-tokens/${token.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/console-api-tokens/${token.id}`)).status).toBe(204);
    const res = await curl('GET', '/api/runners', secret);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/revoked/);
    const revoked = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'api_token.revoked').where('target', '=', 'to revoke').execute();
    expect(revoked).toHaveLength(1);
  });

  it('refuses an expired, unknown or malformed token with 401, never falling back to the cookie', async () => {
    const { token, secret } = await makeToken(admin, 'short-lived', 1);
    await t.db.updateTable('console_api_tokens').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', token.id).execute();
    const expired = await curl('GET', '/api/runners', secret);
    expect(expired.status).toBe(401);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await curl('GET', '/api/runners', `rcat_${'A'.repeat(43)}`)).status).toBe(401);
    expect((await curl('GET', '/api/runners', 'rcs_not-an-api-token')).status).toBe(401);
    // The admin's valid session cookie does not rescue a bad bearer token.
    const both = await admin.request('GET', '/api/runners', undefined, { authorization: 'Bearer rcat_forged' });
    expect(both.status).toBe(401);
    const malformed = await admin.request('GET', '/api/runners', undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect(malformed.status).toBe(401);
  });

  it('follows its creator: demoted, the token acts as a member; removed, it stops working', async () => {
    const creator = await makeAdmin();
    const { secret } = await makeToken(creator.client, 'follows creator');
    expect((await curl('POST', '/api/runners', secret, { name: `by creator ${randomUUID().slice(0, 6)}` })).status).toBe(201);
    await t.db.updateTable('users').set({ role: 'member' }).where('id', '=', creator.id).execute();
    const demoted = await curl('POST', '/api/runners', secret, { name: `after demotion ${randomUUID().slice(0, 6)}` });
    expect(demoted.status).toBe(403);
    expect((await curl('GET', '/api/console-api-tokens', secret)).status).toBe(403);
    expect((await curl('GET', '/api/runners', secret)).status).toBe(200);
    // The admin's cookie on the same request does not lift the token's member role.
    const both = await admin.request('GET', '/api/console-api-tokens', undefined, { authorization: `Bearer ${secret}` });
    expect(both.status).toBe(403);
    await t.db.deleteFrom('users').where('id', '=', creator.id).execute();
    expect((await curl('GET', '/api/runners', secret)).status).toBe(401);
  });

  it('needs no CSRF header with a bearer token, while cookie requests still do', async () => {
    const { secret } = await makeToken(admin, 'csrf check');
    const viaToken = await curl('POST', '/api/runners', secret, { name: `no csrf ${randomUUID().slice(0, 6)}` }, { origin: 'https://evil.example' });
    expect(viaToken.status).toBe(201);
    const cookieOnly = await fetch(`${t.url}/api/runners`, {
      method: 'POST',
      headers: { cookie: admin.cookieHeader(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cookie without csrf' }),
    });
    expect(cookieOnly.status).toBe(403);
  });

  it('refuses bad input with a clear message: no name, control characters, more than a year', async () => {
    const noName = await admin.request('POST', '/api/console-api-tokens', { name: ' ', expiresInDays: 30 });
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields.name).toMatch(/Name the token/);
    const bidi = await admin.request('POST', '/api/console-api-tokens', { name: 'ci\u202e', expiresInDays: 30 });
    expect(bidi.body.error.fields.name).toMatch(/control or text-direction/);
    const tooLong = await admin.request('POST', '/api/console-api-tokens', { name: 'forever', expiresInDays: 366 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.fields.expiresInDays).toMatch(/at most 365 days/);
  });

  it('declares the bearer scheme on every /api route in OpenAPI', async () => {
    const doc = (await admin.request('GET', '/api/openapi.json')).body;
    expect(doc.components.securitySchemes.apiToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const ops of Object.values(doc.paths) as Record<string, { security: unknown[] }>[]) {
      for (const op of Object.values(ops)) expect(op.security).toContainEqual({ apiToken: [] });
    }
  });
});
