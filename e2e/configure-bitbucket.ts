import { expect, request, type APIRequestContext, type BrowserContext } from '@playwright/test';
import { accounts, urls } from './fixtures.ts';

const REQUIRED_PERMISSIONS = ['account', 'repository', 'repository:write', 'pullrequest', 'issue'];

/** The CSRF token the BFF set as a cookie (`__Host-` under https). */
export async function csrfTokenOf(
  context: { kind: 'api'; api: APIRequestContext } | { kind: 'browser'; browser: BrowserContext },
): Promise<string> {
  const cookies =
    context.kind === 'api' ? (await context.api.storageState()).cookies : await context.browser.cookies();
  const token = cookies.find((c) => c.name === 'rc_csrf' || c.name === '__Host-rc_csrf')?.value;
  if (!token) throw new Error('No rc_csrf cookie: call GET /api/auth/session first.');
  return decodeURIComponent(token);
}

/** An API client signed in through the BFF's own sign-in endpoint. */
export async function signInThroughApi(who: keyof typeof accounts): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: urls.dashboard });
  expect((await api.get('/api/auth/session')).ok()).toBe(true);
  const response = await api.post('/api/auth/sign-in', {
    data: accounts[who],
    headers: { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api }) },
  });
  expect(response.ok(), await response.text()).toBe(true);
  return api;
}

export interface BitbucketOnLocalRunner {
  runnerId: string;
  consumerKey: string;
}

/**
 * What an admin does in the modal, through the API: a fresh OAuth consumer on the emulator (so
 * each test starts with no grant), and Local runner's Bitbucket integration replaced by one for it.
 * Resolves once the runner has the new configuration.
 */
export async function configureBitbucketOnLocalRunner(): Promise<BitbucketOnLocalRunner> {
  const admin = await signInThroughApi('admin');
  try {
    const consumer = await admin.post(`${urls.bitbucket}/_emulator/consumers`, {
      data: {
        workspace: 'acme',
        name: `e2e ${Date.now()} ${Math.random().toString(36).slice(2, 8)}`,
        callbackUrl: `${urls.runner}/oauth/callback`,
        permissions: REQUIRED_PERMISSIONS,
        private: false,
      },
    });
    expect(consumer.ok(), await consumer.text()).toBe(true);
    const { key, secret } = (await consumer.json()) as { key: string; secret: string };

    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) };
    const { runners } = (await (await admin.get('/api/runners')).json()) as {
      runners: { id: string; name: string }[];
    };
    const runner = runners.find((r) => r.name === 'Local runner');
    if (!runner) throw new Error('Local runner is missing from GET /api/runners.');

    const { integrations } = (await (
      await admin.get(`/api/runners/${runner.id}/integrations`)
    ).json()) as { integrations: { id: string }[] };
    for (const integration of integrations) {
      const removed = await admin.delete(`/api/runners/${runner.id}/integrations/${integration.id}`, { headers: csrf });
      expect(removed.status(), await removed.text()).toBe(204);
    }

    const created = await admin.post(`/api/runners/${runner.id}/integrations`, {
      headers: csrf,
      data: {
        provider: 'bitbucket',
        host: 'bitbucket.org',
        oauthEnabled: true,
        clientId: key,
        oauthPlaintextClientSecret: secret,
      },
    });
    expect(created.status(), await created.text()).toBe(201);

    // The runner receives its configuration over its link; wait until it answers with it.
    await expect
      .poll(async () => {
        const check = await admin.post(`/api/runners/${runner.id}/check-authentication`, {
          headers: csrf,
          data: { host: 'bitbucket.org' },
        });
        return check.ok() && ((await check.json()) as { integrationAvailable: boolean }).integrationAvailable;
      })
      .toBe(true);
    return { runnerId: runner.id, consumerKey: key };
  } finally {
    await admin.dispose();
  }
}

/** Local runner without integrations, for what "Add a new provider" shows on a runner that has none. */
export async function removeIntegrationsFromLocalRunner(): Promise<void> {
  const admin = await signInThroughApi('admin');
  try {
    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) };
    const { runners } = (await (await admin.get('/api/runners')).json()) as { runners: { id: string; name: string }[] };
    const runner = runners.find((r) => r.name === 'Local runner');
    if (!runner) throw new Error('Local runner is missing from GET /api/runners.');
    const { integrations } = (await (await admin.get(`/api/runners/${runner.id}/integrations`)).json()) as { integrations: { id: string }[] };
    for (const integration of integrations) {
      const removed = await admin.delete(`/api/runners/${runner.id}/integrations/${integration.id}`, { headers: csrf });
      expect([204, 404], await removed.text()).toContain(removed.status());
    }
  } finally {
    await admin.dispose();
  }
}
