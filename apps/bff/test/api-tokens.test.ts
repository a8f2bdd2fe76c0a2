import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import type { TestApiClient} from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
let devId: string;
let adminId: string;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
  devId = (await dev.request('GET', '/api/auth/session')).body.user.id;
  adminId = (await admin.request('GET', '/api/auth/session')).body.user.id;
});
afterAll(() => t.close());

const TOKEN = `ATATT3x${'Q'.repeat(150)}=0A1B2C3D`;
type Calls = { method: string; params: any }[];

async function newRunner(connectApiToken: (params: any) => unknown = () => ({ accountName: 'Alice', accountUsername: 'alice', email: 'alice@acme.test', scopes: [], expiresAt: '2027-03-01T23:59:59.999Z' })) {
  const created = await admin.request('POST', '/api/runners', { name: `runner ${Math.random()}` });
  const calls: Calls = [];
  const record = (method: string, result: (p: any) => unknown) => (params: any) => {
    calls.push({ method, params });
    return result(params);
  };
  const runner = await connectFakeRunner(t.url, created.body.runnerToken, {
    configure: record('configure', () => ({ applied: 1 })),
    validateIntegration: record('validateIntegration', () => ({ status: 'valid', message: 'ok', field: null })),
    validateCandidate: record('validateCandidate', () => ({ status: 'valid', message: 'ok', field: null })),
    deleteTokensForIntegration: record('deleteTokensForIntegration', () => ({ deleted: 2 })),
    countApiTokens: record('countApiTokens', () => ({ count: 2 })),
    checkAuthentication: record('checkAuthentication', () => ({ integrationAvailable: true, authenticated: false, accountName: null, reauthorizeReason: null, oauthAvailable: false, patAvailable: true, apiTokenCreateUrl: 'http://127.0.0.1:9/account/settings/api-tokens/', method: null, expiresAt: null })),
    connectApiToken: record('connectApiToken', connectApiToken),
  });
  return { runnerId: created.body.runner.id as string, runner, calls };
}

async function tokensOnly(runnerId: string) {
  const res = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: true });
  expect(res.status).toBe(201);
  return res.body;
}

function readAllFiles(dir: string): string {
  let all = '';
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    all += entry.isDirectory() ? readAllFiles(p) : fs.readFileSync(p).toString('latin1');
  }
  return all;
}

describe('personal access tokens: admin', () => {
  it('an integration may offer tokens only, and needs at least one method', async () => {
    const { runnerId, runner, calls } = await newRunner();
    const none = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: false, patEnabled: false });
    expect(none.status).toBe(400);
    expect(none.body.error.fields.oauthEnabled).toMatch(/OAuth, personal access tokens, or both/);
    const created = await tokensOnly(runnerId);
    expect(created).toMatchObject({ oauthEnabled: false, patEnabled: true, hasClientSecret: false, validation: { status: 'oauth_disabled' } });
    expect(calls.findLast((c) => c.method === 'configure')?.params.integrations[0]).toMatchObject({ oauthEnabled: false, patEnabled: true });
    const bothOff = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.id}`, { patEnabled: false });
    expect(bothOff.status).toBe(400);
    const schema = await admin.request('GET', `/api/runners/${runnerId}/configuration-schema`);
    const bitbucket = schema.body.providers.find((p: any) => p.id === 'bitbucket');
    expect(bitbucket.apiTokens.requiredScopes.map((s: any) => s.scope)).toEqual(['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket']);
    runner.close();
  });

  it('turning tokens off deletes exactly the token connections, after a warning that counts them', async () => {
    const { runnerId, runner, calls } = await newRunner();
    const created = await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key-1', oauthPlaintextClientSecret: 'secret-1', patEnabled: true });
    expect(created.status).toBe(201);
    const count = await admin.request('GET', `/api/runners/${runnerId}/integrations/${created.body.id}/api-token-connections`);
    expect(count.body).toEqual({ count: 2 });
    expect((await dev.request('GET', `/api/runners/${runnerId}/integrations/${created.body.id}/api-token-connections`)).status).toBe(403);
    const off = await admin.request('PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { patEnabled: false });
    expect(off.body).toMatchObject({ oauthEnabled: true, patEnabled: false });
    const deletes = calls.filter((c) => c.method === 'deleteTokensForIntegration');
    expect(deletes.map((c) => c.params)).toEqual([{ integrationId: created.body.id, kind: 'api_token' }]);
    expect(calls.findLast((c) => c.method === 'configure')?.params.integrations[0].patEnabled).toBe(false);
    const audit = await admin.request('GET', `/api/runners/${runnerId}/audit-log`);
    expect(audit.body.entries[0].details.changes).toContain('pat_disabled');
    runner.close();
  });
});

describe('personal access tokens: developer', () => {
  it('check-authentication lists the methods offered, with what the token form needs', async () => {
    const { runnerId, runner } = await newRunner();
    await tokensOnly(runnerId);
    const check = await dev.request('POST', `/api/runners/${runnerId}/check-authentication`, { host: 'bitbucket.org' });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({
      integrationAvailable: true,
      authenticated: false,
      authorizeUrl: null,
      supportsOauth2: null,
      supportsPat: {
        createUrl: 'http://127.0.0.1:9/account/settings/api-tokens/',
        docsUrl: expect.stringContaining('atlassian.com'),
        requiredScopes: ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'],
        maxLifetimeDays: 365,
        publicKey: { kid: runner.publicJwk.kid },
      },
    });
    runner.close();
  });

  it('forwards a token sealed for the caller, this runner and host, and says who is connected', async () => {
    const { runnerId, runner, calls } = await newRunner();
    await tokensOnly(runnerId);
    const tokenEnvelope = await sealClientSecret({ secret: TOKEN, publicJwk: runner.publicJwk, runnerId, host: 'bitbucket.org', userId: devId });
    const res = await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: ' alice@acme.test ', tokenEnvelope, expiresOn: '2027-03-01' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ method: 'api_token', accountName: 'Alice', message: 'Bitbucket is now connected as Alice (API token, expires 1 March 2027).' });
    expect(calls.find((c) => c.method === 'connectApiToken')?.params).toEqual({ userId: devId, host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope, expiresOn: '2027-03-01' });
    expect(readAllFiles(t.dataDir)).not.toContain(tokenEnvelope);
    expect(t.logLines.join('\n')).not.toContain(tokenEnvelope.slice(-40));
    runner.close();
  });

  it('refuses a token sealed for another user or another runner without asking the runner', async () => {
    const { runnerId, runner, calls } = await newRunner();
    const other = await newRunner();
    await tokensOnly(runnerId);
    const forAdmin = await sealClientSecret({ secret: TOKEN, publicJwk: runner.publicJwk, runnerId, host: 'bitbucket.org', userId: adminId });
    const stolen = await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope: forAdmin, expiresOn: '2027-03-01' });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.fields.token).toMatch(/not made for you/);
    const forOtherRunner = await sealClientSecret({ secret: TOKEN, publicJwk: other.runner.publicJwk, runnerId: other.runnerId, host: 'bitbucket.org', userId: devId });
    expect((await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope: forOtherRunner, expiresOn: '2027-03-01' })).status).toBe(400);
    const clientSecretShape = await sealClientSecret({ secret: TOKEN, publicJwk: runner.publicJwk, runnerId, host: 'bitbucket.org' });
    expect((await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope: clientSecretShape, expiresOn: '2027-03-01' })).status).toBe(400);
    expect(calls.some((c) => c.method === 'connectApiToken')).toBe(false);
    runner.close();
    other.runner.close();
  });

  it('puts the runner’s refusal next to the field it is about', async () => {
    const { runnerId, runner } = await newRunner(() => {
      throw Object.assign(new Error('The API token is missing scope read:pullrequest:bitbucket (Pull requests: Read: start from a pull request).'), { code: 'missing_scope' });
    });
    await tokensOnly(runnerId);
    const tokenEnvelope = await sealClientSecret({ secret: TOKEN, publicJwk: runner.publicJwk, runnerId, host: 'bitbucket.org', userId: devId });
    const res = await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope, expiresOn: '2027-03-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.token).toContain('read:pullrequest:bitbucket');
    runner.close();
  });

  it('refuses tokens where the integration does not take them', async () => {
    const { runnerId, runner } = await newRunner();
    await admin.request('POST', `/api/runners/${runnerId}/integrations`, { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'k', oauthPlaintextClientSecret: 's' });
    const tokenEnvelope = await sealClientSecret({ secret: TOKEN, publicJwk: runner.publicJwk, runnerId, host: 'bitbucket.org', userId: devId });
    const res = await dev.request('POST', `/api/runners/${runnerId}/api-tokens`, { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope, expiresOn: '2027-03-01' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/does not take API tokens/);
    runner.close();
  });
});
