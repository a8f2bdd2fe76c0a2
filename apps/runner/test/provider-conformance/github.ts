// GitHub in the conformance suite: the runner's GitHub adapter against apps/github-emulator (its
// seed: alice and bob, acme/widgets with main, feature/login, tag v1.0.0 and pull request 1 from
// feature/login; bob's fork bob/widgets with pull request 2 from fix/typo).
import * as oauth from 'oauth4webapi';
import type { ContextUrl, ContextUrlTarget } from '@runner-console/scm-providers';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { startSourceEmulator } from '../../../../test-support/source-emulator-process.ts';
import { githubAdapter } from '../../src/providers/github/adapter.ts';
import type { ProviderEndpoints } from '../../src/providers/provider-adapter.ts';
import type { ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const HOST = 'github.com';

function widgets(target: ContextUrlTarget): ContextUrl {
  return { provider: 'github', host: HOST, repositoryPath: ['acme', 'widgets'], owner: 'acme', repo: 'widgets', ...target };
}

let appCount = 0;

async function start(): Promise<ProviderFixture> {
  const emulator = await startSourceEmulator('github-emulator', 'GITHUB_PORT', (baseUrl) => ({ GITHUB_PUBLIC_URL: baseUrl }));
  const site = emulator.baseUrl;
  const endpoints: ProviderEndpoints = {
    provider: 'github',
    host: HOST,
    siteUrl: site,
    apiUrl: githubAdapter.apiUrlForSite(site),
    authorizationServer: { issuer: site, authorization_endpoint: `${site}/login/oauth/authorize`, token_endpoint: `${site}/login/oauth/access_token` },
    requestOptions: { [oauth.allowInsecureRequests]: true },
  };
  const created = async (path: string, body: unknown) => {
    const answer = await emulator.testApi('POST', path, body);
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  return {
    endpoints,
    user: { username: 'alice', account: { name: 'Alice', username: 'alice', email: 'alice@acme.test' } },
    async createClient(kind, callbackUrl) {
      if (kind === 'plain') {
        const app = await created('/_emulator/oauth-apps', { owner: 'acme', name: 'Runner Console', callbackUrl });
        return { clientId: app.clientId as string, clientSecret: app.clientSecret as string };
      }
      // A GitHub App: 8-hour user tokens with rotating refresh tokens, installed on acme/widgets.
      const app = await created('/_emulator/github-apps', { owner: 'acme', name: `Runner Console ${++appCount}`, callbackUrl });
      await created(`/_emulator/github-apps/${app.slug as string}/installations`, { account: 'acme', repositories: ['acme/widgets'] });
      return { clientId: app.clientId as string, clientSecret: app.clientSecret as string };
    },
    async createUncoveredAppClient(callbackUrl) {
      const app = await created('/_emulator/github-apps', { owner: 'acme', name: `Runner Console ${++appCount}`, callbackUrl });
      return { clientId: app.clientId as string, clientSecret: app.clientSecret as string };
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
          response = await browser.followRedirects(await browser.postForm('/login/oauth/authorize', { ...fields, decision }));
        }
      }
      if (!isRedirect(response)) throw new Error(`the authorize pages did not send the browser back (HTTP ${response.status})`);
      return new URL(response.headers.get('location') ?? '', site);
    },
    async expireAccessTokens() {
      await created('/_emulator/tokens/expire', { username: 'alice', kind: 'access' });
    },
    async createPersonalAccessToken(kind, expiresOn) {
      const body =
        kind === 'fine_grained'
          ? { username: 'alice', type: 'fine-grained', repositories: ['acme/widgets'], permissions: { contents: 'write', pull_requests: 'read', email_addresses: 'read' }, expiresAt: expiresOn }
          : { username: 'alice', type: 'classic', scopes: kind === 'complete' ? ['repo', 'read:user', 'user:email', 'workflow'] : ['read:user', 'user:email'], expiresAt: expiresOn };
      return { token: (await created('/_emulator/personal-access-tokens', body)).token as string, email: null };
    },
    async rateLimitNextApiCall() {
      await created('/_emulator/faults', { endpoint: 'api', rateLimitNext: 1, rateLimit: { status: 403, resetSeconds: 600 } });
    },
    contexts: [
      { name: 'the repository: its default branch', context: widgets({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', refType: 'branch', owner: 'acme', repo: 'widgets' }, commitOf: 'refs/heads/main' },
      { name: 'a branch with a slash (/tree/feature/login)', context: widgets({ kind: 'branch', branch: 'feature/login' }), expect: { kind: 'branch', ref: 'feature/login', refType: 'branch' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a slashed ref followed by a path (/tree/feature/login/src)', context: widgets({ kind: 'ref', refSegments: ['feature', 'login', 'src'] }), expect: { kind: 'branch', ref: 'feature/login' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a tag (/tree/v1.0.0)', context: widgets({ kind: 'ref', refSegments: ['v1.0.0'] }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      { name: 'a tag named as one (/releases/tag/v1.0.0)', context: widgets({ kind: 'tag', tag: 'v1.0.0' }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      {
        name: 'a pull request (/pull/1) clones its branch',
        context: widgets({ kind: 'pullRequest', pullRequestId: 1 }),
        expect: { kind: 'pullRequest', ref: 'feature/login', refType: 'branch', pullRequest: { id: 1, title: 'Add login form', sourceBranch: 'feature/login', targetBranch: 'main' } },
        commitOf: 'refs/heads/feature/login',
      },
      {
        name: "a fork's pull request (/pull/2) clones the fork's branch",
        context: widgets({ kind: 'pullRequest', pullRequestId: 2 }),
        expect: { kind: 'pullRequest', ref: 'fix/typo', owner: 'bob', repo: 'widgets' },
        clonesFrom: ['bob', 'widgets'],
      },
    ],
    missingRepository: { provider: 'github', host: HOST, repositoryPath: ['acme', 'gadgets'], owner: 'acme', repo: 'gadgets', kind: 'repository' },
    push: { repositoryPath: ['acme', 'widgets'], branch: 'feature/login' },
    stop: () => emulator.stop(),
  };
}

export const githubUnderTest: ProviderUnderTest = {
  name: 'GitHub',
  adapter: githubAdapter,
  capabilities: { tokenExpiryFromProvider: true, revokesGrants: true, fineGrainedTokens: true, appInstallations: true, rateLimits: true },
  redirectMismatchFailure: 'invalid_client',
  start,
};
