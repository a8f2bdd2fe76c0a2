// Azure DevOps in the conformance suite: the runner's Azure DevOps adapter against
// apps/azure-devops-emulator, which serves Azure DevOps and Microsoft Entra ID on two ports (its
// seed: alice in tenant acme, organization acme, project and repository widgets with main,
// feature/login, tag v1.0.0 and pull request 1 from feature/login). The integration names its
// tenant as https://login.microsoftonline.com/acme/v2.0; the endpoints point that authority and
// the profile API's host at the emulators, as the runner's configuration does under `npm start`.
import * as oauth from 'oauth4webapi';
import type { ContextUrl, ContextUrlTarget } from '@runner-console/scm-providers';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { freePort } from '../../../../test-support/free-port.ts';
import { startSourceEmulator } from '../../../../test-support/source-emulator-process.ts';
import { azureDevopsAdapter } from '../../src/providers/azure-devops/adapter.ts';
import type { ProviderEndpoints } from '../../src/providers/provider-adapter.ts';
import type { ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const HOST = 'dev.azure.com';

function widgets(target: ContextUrlTarget): ContextUrl {
  return { provider: 'azure-devops', host: HOST, repositoryPath: ['acme', 'widgets', 'widgets'], owner: 'acme/widgets', repo: 'widgets', ...target };
}

let appCount = 0;

async function start(): Promise<ProviderFixture> {
  const entraPort = await freePort();
  const entra = `http://127.0.0.1:${entraPort}`;
  const emulator = await startSourceEmulator('azure-devops-emulator', 'AZURE_DEVOPS_PORT', (baseUrl) => ({ AZURE_DEVOPS_PUBLIC_URL: baseUrl, ENTRA_PORT: String(entraPort), ENTRA_PUBLIC_URL: entra }));
  const site = emulator.baseUrl;
  const sites: Record<string, string> = { 'login.microsoftonline.com': entra, 'app.vssps.visualstudio.com': site };
  const endpoints: ProviderEndpoints = {
    provider: 'azure-devops',
    host: HOST,
    siteUrl: site,
    apiUrl: azureDevopsAdapter.apiUrlForSite(site),
    authorizationServer: { issuer: site },
    requestOptions: { [oauth.allowInsecureRequests]: true },
    issuerUrl: 'https://login.microsoftonline.com/acme/v2.0',
    virtualDirectory: null,
    siteForHost: (host) => sites[host] ?? null,
  };
  endpoints.authorizationServer = await azureDevopsAdapter.discoverAuthorizationServer!({ endpoints, fetch });
  const created = async (path: string, body: unknown) => {
    const answer = await emulator.testApi('POST', path, body);
    if (answer.status !== 201 && answer.status !== 200 && answer.status !== 204) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    endpoints,
    user: { username: 'alice', account: { name: 'Alice', username: 'alice@acme.test', email: 'alice@acme.test' } },
    async createClient(_kind, callbackUrl) {
      // An Entra app registration: about an hour's access tokens and refresh tokens, in both kinds.
      const app = await created('/_emulator/app-registrations', { tenant: 'acme', name: `Runner Console ${++appCount}`, redirectUri: callbackUrl });
      return { clientId: app.clientId as string, clientSecret: app.clientSecret as string };
    },
    async authorize(authorizeUrl, decision) {
      const browser = new BrowserClient(entra);
      let response = await browser.followRedirects(await browser.get(authorizeUrl.href));
      for (let step = 0; step < 4 && !isRedirect(response); step++) {
        const page = await response.text();
        const action = (/<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '').replace(/&amp;/g, '&');
        const fields = Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
        response = await browser.followRedirects(await browser.postForm(action, page.includes('name="password"') ? { ...fields, login: 'alice', password: 'alice' } : { ...fields, decision }));
      }
      if (!isRedirect(response)) throw new Error(`the sign-in pages did not send the browser back (HTTP ${response.status})`);
      return new URL(response.headers.get('location') ?? '', entra);
    },
    async expireAccessTokens() {
      await created('/_emulator/tokens/expire', { username: 'alice' });
    },
    async createPersonalAccessToken(kind, expiresOn) {
      if (kind === 'fine_grained') throw new Error('Azure DevOps has no fine-grained tokens');
      const scopes = kind === 'complete' ? ['vso.code_write'] : ['vso.profile'];
      return { token: (await created('/_emulator/personal-access-tokens', { username: 'alice', organization: 'acme', scopes, expiresAt: expiresOn })).token as string, email: null };
    },
    async rateLimitNextApiCall() {
      await created('/_emulator/faults', { endpoint: 'api', rateLimitNext: 1, rateLimit: { status: 429, resetSeconds: 600 } });
    },
    contexts: [
      { name: 'the repository: its default branch', context: widgets({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', refType: 'branch', owner: 'acme/widgets', repo: 'widgets' }, commitOf: 'refs/heads/main' },
      { name: 'a branch with a slash (?version=GBfeature/login)', context: widgets({ kind: 'branch', branch: 'feature/login' }), expect: { kind: 'branch', ref: 'feature/login', refType: 'branch' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a tag (?version=GTv1.0.0)', context: widgets({ kind: 'tag', tag: 'v1.0.0' }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      {
        name: 'a pull request (/pullrequest/1) clones its branch',
        context: widgets({ kind: 'pullRequest', pullRequestId: 1 }),
        expect: { kind: 'pullRequest', ref: 'feature/login', refType: 'branch', pullRequest: { id: 1, title: 'Add login form', sourceBranch: 'feature/login', targetBranch: 'main' } },
        commitOf: 'refs/heads/feature/login',
      },
    ],
    missingRepository: { provider: 'azure-devops', host: HOST, repositoryPath: ['acme', 'widgets', 'gadgets'], owner: 'acme/widgets', repo: 'gadgets', kind: 'repository' },
    push: { repositoryPath: ['acme', 'widgets', 'widgets'], branch: 'feature/login' },
    stop: () => emulator.stop(),
  };
}

export const azureDevopsUnderTest: ProviderUnderTest = {
  name: 'Azure DevOps',
  adapter: azureDevopsAdapter,
  capabilities: { tokenExpiryFromProvider: false, revokesGrants: false, fineGrainedTokens: false, appInstallations: false, rateLimits: true },
  // Entra answers a redirect_uri that differs from the authorize request's with invalid_grant (AADSTS500112).
  redirectMismatchFailure: 'provider_error',
  start,
};
