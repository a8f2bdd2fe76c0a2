// Bitbucket Data Center in the conformance suite: the runner's adapter against
// apps/bitbucket-dc-emulator (its seed: alice and bob, ACME/widgets with main, feature/login, tag
// v1.0.0 and pull request 1 from feature/login; bob's fork ~BOB/widgets with pull request 2 from
// fix/typo). The emulator stands for bitbucket.acme.test.
import * as oauth from 'oauth4webapi';
import type { ContextUrl, ContextUrlTarget } from '@runner-console/scm-providers';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { startSourceEmulator } from '../../../../test-support/source-emulator-process.ts';
import { bitbucketDataCenterAdapter } from '../../src/providers/bitbucket-data-center/adapter.ts';
import type { ProviderEndpoints } from '../../src/providers/provider-adapter.ts';
import type { ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const HOST = 'bitbucket.acme.test';

function widgets(target: ContextUrlTarget): ContextUrl {
  return { provider: 'bitbucket-data-center', host: HOST, repositoryPath: ['ACME', 'widgets'], owner: 'ACME', repo: 'widgets', ...target };
}

async function start(): Promise<ProviderFixture> {
  const emulator = await startSourceEmulator('bitbucket-dc-emulator', 'BITBUCKET_DC_PORT', (baseUrl) => ({ BITBUCKET_DC_PUBLIC_URL: baseUrl }));
  const site = emulator.baseUrl;
  const endpoints: ProviderEndpoints = {
    provider: 'bitbucket-data-center',
    host: HOST,
    siteUrl: site,
    apiUrl: bitbucketDataCenterAdapter.apiUrlForSite(site),
    authorizationServer: { issuer: site, authorization_endpoint: `${site}/rest/oauth2/latest/authorize`, token_endpoint: `${site}/rest/oauth2/latest/token` },
    requestOptions: { [oauth.allowInsecureRequests]: true },
  };
  const created = async (path: string, body: unknown) => {
    const answer = await emulator.testApi('POST', path, body);
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  let links = 0;
  return {
    endpoints,
    user: { username: 'alice', account: { name: 'Alice', username: 'alice', email: 'alice@acme.test' } },
    async createClient(_kind, callbackUrl) {
      // One kind: an incoming application link, whose tokens expire in 2 hours and refresh (rotating).
      const link = await created('/_emulator/application-links', { name: `Runner Console ${++links}`, redirectUrl: callbackUrl, scopes: ['REPO_READ', 'REPO_WRITE'] });
      return { clientId: link.clientId as string, clientSecret: link.clientSecret as string };
    },
    async authorize(authorizeUrl, decision) {
      const browser = new BrowserClient(site);
      let response = await browser.followRedirects(await browser.get(authorizeUrl.href));
      for (let step = 0; step < 4 && !isRedirect(response); step++) {
        const page = await response.text();
        const fields = Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
        if (page.includes('name="password"')) {
          response = await browser.followRedirects(await browser.postForm('/login', { ...fields, login: 'alice', password: 'alice' }));
        } else {
          response = await browser.followRedirects(await browser.postForm('/rest/oauth2/latest/authorize', { ...fields, decision }));
        }
      }
      if (!isRedirect(response)) throw new Error(`the authorize pages did not send the browser back (HTTP ${response.status})`);
      return new URL(response.headers.get('location') ?? '', site);
    },
    async expireAccessTokens() {
      await created('/_emulator/tokens/expire', { username: 'alice', kind: 'access' });
    },
    async createPersonalAccessToken(kind, expiresOn) {
      const expiryDays = Math.max(1, Math.round((Date.parse(`${expiresOn}T23:59:59Z`) - Date.now()) / 86_400_000));
      const permissions = kind === 'no_repository_scope' ? [] : ['PROJECT_READ', 'REPO_WRITE'];
      return { token: (await created('/_emulator/access-tokens', { username: 'alice', permissions, expiryDays })).token as string, email: null };
    },
    async rateLimitNextApiCall() {
      await created('/_emulator/faults', { endpoint: 'api', rateLimitNext: 1, rateLimit: { status: 429, resetSeconds: 600 } });
    },
    contexts: [
      { name: 'the repository: its default branch', context: widgets({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', refType: 'branch', owner: 'ACME', repo: 'widgets' }, commitOf: 'refs/heads/main' },
      { name: 'a branch with a slash (?at=refs/heads/feature/login)', context: widgets({ kind: 'branch', branch: 'feature/login' }), expect: { kind: 'branch', ref: 'feature/login', refType: 'branch' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a bare ?at= name (feature/login)', context: widgets({ kind: 'ref', refSegments: ['feature', 'login'] }), expect: { kind: 'branch', ref: 'feature/login' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a tag (?at=refs/tags/v1.0.0)', context: widgets({ kind: 'tag', tag: 'v1.0.0' }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      {
        name: 'a pull request (/pull-requests/1/overview) clones its branch',
        context: widgets({ kind: 'pullRequest', pullRequestId: 1 }),
        expect: { kind: 'pullRequest', ref: 'feature/login', refType: 'branch', pullRequest: { id: 1, title: 'Add login form', sourceBranch: 'feature/login', targetBranch: 'main' } },
        commitOf: 'refs/heads/feature/login',
      },
      {
        name: "a fork's pull request (/pull-requests/2) clones the fork's branch",
        context: widgets({ kind: 'pullRequest', pullRequestId: 2 }),
        expect: { kind: 'pullRequest', ref: 'fix/typo', owner: '~BOB', repo: 'widgets' },
        clonesFrom: ['~BOB', 'widgets'],
      },
    ],
    missingRepository: { provider: 'bitbucket-data-center', host: HOST, repositoryPath: ['ACME', 'gadgets'], owner: 'ACME', repo: 'gadgets', kind: 'repository' },
    push: { repositoryPath: ['ACME', 'widgets'], branch: 'feature/login' },
    stop: () => emulator.stop(),
  };
}

export const bitbucketDataCenterUnderTest: ProviderUnderTest = {
  name: 'Bitbucket Data Center',
  adapter: bitbucketDataCenterAdapter,
  capabilities: { tokenExpiryFromProvider: false, revokesGrants: false, fineGrainedTokens: false, appInstallations: false, rateLimits: true },
  redirectMismatchFailure: 'provider_error',
  start,
};
