import { sealClientSecret } from '@runner-console/envelope';
import { TestBrowser } from '../test-support/test-stack.ts';
import type { BenchStack } from './stack.ts';

export const accounts = {
  admin: { email: 'admin@acme.test', password: 'admin' },
  dev: { email: 'dev@acme.test', password: 'dev' },
};

/** An API client with a cookie session (the same cookies and CSRF header the SPA sends). */
export async function signedInClient(stack: BenchStack, who: keyof typeof accounts): Promise<TestBrowser> {
  const client = new TestBrowser();
  const res = await client.api(stack.dashboard, 'POST', '/api/auth/sign-in', accounts[who]);
  if (res.status !== 200) throw new Error(`sign-in as ${who} answered ${res.status}`);
  return client;
}

export async function expectOk<T = unknown>(client: TestBrowser, stack: BenchStack, method: string, path: string, body?: unknown): Promise<T> {
  const res = await client.api(stack.dashboard, method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  return res.body as T;
}

export async function localRunnerId(stack: BenchStack, admin: TestBrowser): Promise<string> {
  const { runners } = await expectOk<{ runners: { id: string; name: string }[] }>(admin, stack, 'GET', '/api/runners');
  const runner = runners.find((r) => r.name === 'Local runner');
  if (!runner) throw new Error('no Local runner');
  return runner.id;
}

/** A Bitbucket OAuth consumer in the emulator whose callback is the runner's. */
export async function createConsumer(stack: BenchStack): Promise<{ key: string; secret: string }> {
  const res = await fetch(`${stack.bitbucket}/_emulator/consumers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workspace: 'acme',
      name: `Runner Console bench ${Date.now()}`,
      callbackUrl: `${stack.runner}/oauth/callback`,
      permissions: ['account', 'repository', 'repository:write', 'pullrequest', 'issue'],
      private: false,
    }),
  });
  if (!res.ok) throw new Error(`creating a consumer answered ${res.status}`);
  return (await res.json()) as { key: string; secret: string };
}

/** A GitHub OAuth App in the GitHub emulator whose callback is the runner's, added to the runner as its github.com integration. */
export async function addGitHubIntegration(stack: BenchStack, admin: TestBrowser, runnerId: string): Promise<void> {
  const res = await fetch(`${stack.github}/_emulator/oauth-apps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ owner: 'acme', name: `Runner Console bench ${Date.now()}`, callbackUrl: `${stack.runner}/oauth/callback` }),
  });
  if (!res.ok) throw new Error(`creating a GitHub OAuth App answered ${res.status}`);
  const app = (await res.json()) as { clientId: string; clientSecret: string };
  const base = `/api/runners/${runnerId}`;
  const { integrations } = await expectOk<{ integrations: { id: string; host: string }[] }>(admin, stack, 'GET', `${base}/integrations`);
  for (const existing of integrations.filter((i) => i.host === 'github.com')) await expectOk(admin, stack, 'DELETE', `${base}/integrations/${existing.id}`);
  const schema = await expectOk<{ publicKey: Parameters<typeof sealClientSecret>[0]['publicJwk'] | null }>(admin, stack, 'GET', `${base}/configuration-schema`);
  if (!schema.publicKey) throw new Error('the runner has no public key');
  const envelope = await sealClientSecret({ secret: app.clientSecret, publicJwk: schema.publicKey, runnerId, host: 'github.com' });
  await expectOk(admin, stack, 'POST', `${base}/integrations`, { provider: 'github', host: 'github.com', oauthEnabled: true, clientId: app.clientId, oauthClientSecretEnvelope: envelope });
}

/** The Local runner's gitlab.com integration, with an application made in the GitLab emulator, secret sealed as the modal seals it. */
export async function addGitLabIntegration(stack: BenchStack, admin: TestBrowser, runnerId: string): Promise<void> {
  const res = await fetch(`${stack.gitlab}/_emulator/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Runner Console bench ${Date.now()}`, redirectUri: `${stack.runner}/oauth/callback`, scopes: ['read_user', 'read_api', 'read_repository', 'write_repository'], confidential: true }),
  });
  if (!res.ok) throw new Error(`creating a GitLab application answered ${res.status}`);
  const app = (await res.json()) as { applicationId: string; secret: string };
  const base = `/api/runners/${runnerId}`;
  const { integrations } = await expectOk<{ integrations: { id: string; host: string }[] }>(admin, stack, 'GET', `${base}/integrations`);
  for (const existing of integrations.filter((i) => i.host === 'gitlab.com')) await expectOk(admin, stack, 'DELETE', `${base}/integrations/${existing.id}`);
  const schema = await expectOk<{ publicKey: Parameters<typeof sealClientSecret>[0]['publicJwk'] | null }>(admin, stack, 'GET', `${base}/configuration-schema`);
  if (!schema.publicKey) throw new Error('the runner has no public key');
  const envelope = await sealClientSecret({ secret: app.secret, publicJwk: schema.publicKey, runnerId, host: 'gitlab.com' });
  await expectOk(admin, stack, 'POST', `${base}/integrations`, { provider: 'gitlab', host: 'gitlab.com', oauthEnabled: true, clientId: app.applicationId, oauthClientSecretEnvelope: envelope });
}

/**
 * An incoming application link in the Bitbucket Data Center emulator whose redirect URL is the
 * runner's callback, added to the runner as its bitbucket.acme.test integration.
 */
export async function addBitbucketDataCenterIntegration(stack: BenchStack, admin: TestBrowser, runnerId: string): Promise<void> {
  const host = 'bitbucket.acme.test';
  const res = await fetch(`${stack.bitbucketDc}/_emulator/application-links`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Runner Console bench ${Date.now()}`, redirectUrl: `${stack.runner}/oauth/callback`, scopes: ['REPO_READ', 'REPO_WRITE'] }),
  });
  if (!res.ok) throw new Error(`creating an application link answered ${res.status}`);
  const link = (await res.json()) as { clientId: string; clientSecret: string };
  const base = `/api/runners/${runnerId}`;
  const { integrations } = await expectOk<{ integrations: { id: string; host: string }[] }>(admin, stack, 'GET', `${base}/integrations`);
  for (const existing of integrations.filter((i) => i.host === host)) await expectOk(admin, stack, 'DELETE', `${base}/integrations/${existing.id}`);
  const schema = await expectOk<{ publicKey: Parameters<typeof sealClientSecret>[0]['publicJwk'] | null }>(admin, stack, 'GET', `${base}/configuration-schema`);
  if (!schema.publicKey) throw new Error('the runner has no public key');
  const envelope = await sealClientSecret({ secret: link.clientSecret, publicJwk: schema.publicKey, runnerId, host });
  await expectOk(admin, stack, 'POST', `${base}/integrations`, { provider: 'bitbucket-data-center', host, oauthEnabled: true, clientId: link.clientId, oauthClientSecretEnvelope: envelope });
}

/**
 * A Microsoft Entra app registration in the Entra emulator whose redirect URI is the runner's,
 * added to the runner as its dev.azure.com integration with the tenant's directory id.
 */
export async function addAzureDevopsIntegration(stack: BenchStack, admin: TestBrowser, runnerId: string): Promise<void> {
  if (!stack.azureDevops) throw new Error('this stack has no Azure DevOps emulator');
  const res = await fetch(`${stack.azureDevops}/_emulator/app-registrations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: 'acme', name: `Runner Console bench ${Date.now()}`, redirectUri: `${stack.runner}/oauth/callback` }),
  });
  if (!res.ok) throw new Error(`creating an Entra app registration answered ${res.status}`);
  const app = (await res.json()) as { clientId: string; clientSecret: string; tenantId: string };
  const base = `/api/runners/${runnerId}`;
  const { integrations } = await expectOk<{ integrations: { id: string; host: string }[] }>(admin, stack, 'GET', `${base}/integrations`);
  for (const existing of integrations.filter((i) => i.host === 'dev.azure.com')) await expectOk(admin, stack, 'DELETE', `${base}/integrations/${existing.id}`);
  const schema = await expectOk<{ publicKey: Parameters<typeof sealClientSecret>[0]['publicJwk'] | null }>(admin, stack, 'GET', `${base}/configuration-schema`);
  if (!schema.publicKey) throw new Error('the runner has no public key');
  const envelope = await sealClientSecret({ secret: app.clientSecret, publicJwk: schema.publicKey, runnerId, host: 'dev.azure.com' });
  await expectOk(admin, stack, 'POST', `${base}/integrations`, {
    provider: 'azure-devops',
    host: 'dev.azure.com',
    oauthEnabled: true,
    clientId: app.clientId,
    oauthClientSecretEnvelope: envelope,
    issuerUrl: `https://login.microsoftonline.com/${app.tenantId}/v2.0`,
  });
}

/** The session and CSRF cookies of a signed-in client, as request headers (for autocannon and Lighthouse). */
export function sessionHeaders(client: TestBrowser, stack: BenchStack): { cookie: string; csrf: string } {
  const jar = client.cookiesOf(stack.dashboard);
  return { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), csrf: jar.get('rc_csrf') ?? '' };
}
