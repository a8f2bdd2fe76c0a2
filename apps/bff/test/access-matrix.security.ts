import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, type ApiRoute } from '@runner-console/contracts';
import { startTestBff, localRunnerToken, type TestBff } from './test-bff.ts';
import { TestApiClient, signedIn } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { createRunnerKeyPair } from '@runner-console/envelope';
import { createOtherOrgAdmin } from './other-org.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (item 4; the file name keeps it out of the unit run).
 * Every endpoint of the route table × {anonymous, member, admin of another org, admin}, and the
 * member and admin again with an API token (`Authorization: Bearer`, no cookie, no CSRF header). The
 * table is walked, so a route added without a sample here fails this suite instead of going unchecked.
 */
type Caller = 'anonymous' | 'member' | 'memberToken' | 'otherOrgAdmin' | 'adminToken' | 'admin';
const callers: Caller[] = ['anonymous', 'member', 'memberToken', 'otherOrgAdmin', 'adminToken', 'admin'];
const roleOf = (caller: Caller) => (caller === 'memberToken' ? 'member' : caller === 'adminToken' ? 'admin' : caller);

let t: TestBff;
const clients = {} as Record<Caller, TestApiClient>;
const ids = { runnerId: '', integrationId: '', flowId: 'f0000000-0000-4000-8000-000000000000', environmentId: 'e0000000-0000-4000-8000-000000000000', tokenId: 'tok', userId: '', invitationId: '', consoleApiTokenId: '' };

const sampleBodies: Partial<Record<keyof typeof apiRoutes, unknown>> = {
  signIn: { email: 'nobody@acme.test', password: 'x' },
  createRunner: { name: `matrix runner` },
  createScmIntegration: { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'k', oauthPlaintextClientSecret: 's' },
  updateScmIntegration: { clientId: 'k2' },
  updateRunner: { name: 'Local runner' },
  // No key is waiting: an admin gets 409, everyone else their 401/403/404 first.
  acceptRunnerKey: { kid: 'kid-that-no-runner-presented' },
  checkAuthentication: { host: 'bitbucket.org' },
  connectApiToken: { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope: 'x', expiresOn: '2027-03-01' },
  createEnvironment: { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId: '' },
  // Set-up is done (the seed): 404 for everyone. Unknown link tokens: 404 (409 when signed in).
  completeSetup: { orgName: 'Matrix', name: 'Matrix', email: 'matrix@acme.test', password: 'a long enough password', code: 'AAAA-BBBB-CCCC-DDDD' },
  previewInvitation: { token: 'rci_not-a-real-token' },
  acceptInvitation: { token: 'rci_not-a-real-token', name: 'Matrix', password: 'a long enough password' },
  startInvitationSingleSignOn: { token: 'rci_not-a-real-token' },
  previewPasswordReset: { token: 'rcr_not-a-real-token' },
  completePasswordReset: { token: 'rcr_not-a-real-token', password: 'a long enough password' },
  changeOwnPassword: { currentPassword: 'not-the-password', newPassword: 'a long enough password' },
  updateMember: { role: 'member' },
  createInvitation: { email: 'matrix-invitee@acme.test', role: 'member' },
  createConsoleApiToken: { name: 'matrix token', expiresInDays: 7 },
  // Nothing answers there: an admin gets 400 (the issuer is checked), everyone else their 401/403.
  saveSsoSettings: { displayName: 'Matrix IdP', issuerUrl: 'http://127.0.0.1:1/', clientId: 'c', clientSecret: 's', allowedDomains: ['acme.test'], requireSso: false },
};

/** Routes whose ids belong to an org (or a user), so another org's admin must get 404. */
const scoped = (route: ApiRoute) => /:(runnerId|integrationId|flowId|environmentId|userId|invitationId|consoleApiTokenId)/.test(route.path) || route.path === '/api/connect/start' || route.path === '/api/environments' && route.method === 'post';

function pathFor(name: string, route: ApiRoute, caller: Caller): string {
  let path = route.path.replace(/:(\w+)/g, (_m, key: keyof typeof ids) => ids[key]);
  if (name === 'startSingleSignOn') path += '?org=no-such-org';
  if (name === 'startConnect') {
    path += `?${new URLSearchParams({ runnerId: ids.runnerId, host: 'bitbucket.org', csrf: clients[caller].csrfToken ?? 'none' })}`;
  }
  return path;
}

beforeAll(async () => {
  t = await startTestBff();
  clients.anonymous = new TestApiClient(t.url);
  clients.member = await signedIn(t.url, 'dev');
  clients.admin = await signedIn(t.url, 'admin');
  const other = await createOtherOrgAdmin(t.db);
  clients.otherOrgAdmin = new TestApiClient(t.url);
  await clients.otherOrgAdmin.signIn(other.email, other.password);
  await connectFakeRunner(t.url, localRunnerToken, {
    ping: () => ({ version: 't' }),
    rotateKey: async () => ({ publicKey: (await createRunnerKeyPair()).publicJwk }),
    configure: () => ({}),
    validateCandidate: () => ({ status: 'valid', message: 'accepted', field: null }),
    listTokens: () => ({ tokens: [] }),
    deleteTokensForIntegration: () => ({}),
    checkAuthentication: () => ({ integrationAvailable: true, authenticated: false, accountName: null, reauthorizeReason: null }),
    parseContext: () => Promise.reject(Object.assign(new Error('Click Connect.'), { code: 'not_connected' })),
    deleteToken: () => Promise.reject(Object.assign(new Error('gone'), { code: 'not_found' })),
    listConnections: () => ({ connections: [] }),
    revokeConnection: () => Promise.reject(Object.assign(new Error('gone'), { code: 'not_found' })),
  });
  ids.runnerId = (await clients.admin.request('GET', '/api/runners')).body.runners[0].id;
  (sampleBodies.createEnvironment as { runnerId: string }).runnerId = ids.runnerId;
  const created = await clients.admin.request('POST', `/api/runners/${ids.runnerId}/integrations`, sampleBodies.createScmIntegration);
  ids.integrationId = created.body.id;
  // A member of Acme for the member routes to act on (the admin's pass removes them last), and an invitation.
  const target = await clients.admin.request('POST', '/api/invitations', { email: 'matrix-target@acme.test', role: 'member' });
  const joined = await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: target.body.url.split('#')[1], name: 'Matrix Target', password: 'a long enough password' });
  ids.userId = joined.body.user.id;
  ids.invitationId = (await clients.admin.request('POST', '/api/invitations', { email: 'matrix-pending@acme.test', role: 'member' })).body.invitation.id;
  // API tokens: the admin's own, and one whose creator was demoted to member since (it acts as one).
  const token = async (client: TestApiClient) => (await client.request('POST', '/api/console-api-tokens', { name: 'matrix', expiresInDays: 7 })).body.secret as string;
  clients.adminToken = new TestApiClient(t.url, await token(clients.admin));
  const demoted = await createOtherOrgAdmin(t.db, `demoted-${Date.now()}@acme.test`);
  const acme = await t.db.selectFrom('users').select('org_id').where('email', '=', 'admin@acme.test').executeTakeFirstOrThrow();
  await t.db.updateTable('users').set({ org_id: acme.org_id }).where('email', '=', demoted.email).execute();
  const demotedClient = new TestApiClient(t.url);
  await demotedClient.signIn(demoted.email, demoted.password);
  clients.memberToken = new TestApiClient(t.url, await token(demotedClient));
  await t.db.updateTable('users').set({ role: 'member' }).where('email', '=', demoted.email).execute();
  ids.consoleApiTokenId = (await clients.admin.request('POST', '/api/console-api-tokens', { name: 'to revoke', expiresInDays: 7 })).body.token.id;
  for (const c of Object.values(clients)) await c.request('GET', '/api/auth/session');
});
afterAll(() => t.close());

const entries = Object.entries(apiRoutes) as [keyof typeof apiRoutes, ApiRoute][];
// Destructive routes go last so a caller's pass does not remove what its later rows need; sign-out last of all.
const rank = ([name, route]: [string, ApiRoute]) => (name === 'signOut' ? 2 : route.method === 'delete' ? 1 : 0);
entries.sort((a, b) => rank(a) - rank(b));

describe('access control matrix', () => {
  it('has a sample body for every route that takes one', () => {
    const missing = entries.filter(([name, route]) => route.request && !(name in sampleBodies)).map(([name]) => name);
    expect(missing).toEqual([]);
  });

  for (const caller of callers) {
    for (const [name, route] of entries) {
      it(`${caller} → ${route.method.toUpperCase()} ${route.path}`, () => check('access', `${caller} ${name}`, async () => {
        const body = route.request ? sampleBodies[name] : undefined;
        const res = await clients[caller].request(route.method.toUpperCase(), pathFor(name, route, caller), body);
        expect(res.status).toBeLessThan(500);
        if (route.access === 'public') {
          expect([401, 403]).not.toContain(res.status === 401 && name === 'signIn' ? 0 : res.status);
        } else if (caller === 'anonymous') {
          expect(res.status).toBe(401);
        } else if (name === 'startConnect' && caller.endsWith('Token')) {
          // A Connect popup is bound to the browser that starts it (its CSRF value): not for automation.
          expect(res.status).toBe(403);
        } else if (route.access === 'admin' && roleOf(caller) === 'member') {
          expect(res.status).toBe(403);
        } else if (caller === 'otherOrgAdmin' && scoped(route)) {
          expect(res.status).toBe(404);
        } else {
          expect([401, 403]).not.toContain(res.status);
        }
        expect(res.text).not.toMatch(/at .+\.ts:\d+|SQLITE|stack/);
      }));
    }
  }
});
