// Bitbucket Cloud in the conformance suite: the runner's Bitbucket adapter against
// apps/bitbucket-emulator (its seed: alice and bob, acme/widgets with main and feature/login, pull
// request 1 from feature/login). The entry is live once the adapter is in the runner's registry.
import * as oauth from 'oauth4webapi';
import type { ContextUrl, ContextUrlTarget } from '@runner-console/scm-providers';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { startSourceEmulator } from '../../../../test-support/source-emulator-process.ts';
import type { ProviderEndpoints } from '../../src/providers/provider-adapter.ts';
import { providerAdapters } from '../../src/providers/provider-registry.ts';
import type { ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const HOST = 'bitbucket.org';
/** What the product asks of an OAuth consumer, and `email` for the git author's address. */
const CONSUMER_PERMISSIONS = ['account', 'email', 'repository', 'repository:write', 'pullrequest', 'issue'];
const API_TOKEN_SCOPES = ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'];

function widgets(target: ContextUrlTarget): ContextUrl {
  return { provider: 'bitbucket', host: HOST, repositoryPath: ['acme', 'widgets'], owner: 'acme', repo: 'widgets', ...target };
}

export function fixtureFor(adapter: ProviderUnderTest['adapter']) {
  return async function start(): Promise<ProviderFixture> {
    const emulator = await startSourceEmulator('bitbucket-emulator', 'BITBUCKET_PORT', (baseUrl) => ({ BITBUCKET_PUBLIC_URL: baseUrl }));
    const site = emulator.baseUrl;
    const endpoints: ProviderEndpoints = {
      provider: 'bitbucket',
      host: HOST,
      siteUrl: site,
      apiUrl: adapter.apiUrlForSite(site),
      authorizationServer: { issuer: site, authorization_endpoint: `${site}/site/oauth2/authorize`, token_endpoint: `${site}/site/oauth2/access_token` },
      requestOptions: { [oauth.allowInsecureRequests]: true },
    };
    const created = async (path: string, body: unknown) => {
      const answer = await emulator.testApi('POST', path, body);
      if (answer.status !== 201 && answer.status !== 200) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    let consumers = 0;
    return {
      endpoints,
      user: { username: 'alice', account: { name: 'Alice', username: 'alice', email: 'alice@acme.test' } },
      // Every Bitbucket consumer's tokens expire after 2 hours and refresh with a rotating refresh token.
      async createClient(_kind, callbackUrl) {
        const consumer = await created('/_emulator/consumers', { workspace: 'acme', name: `Runner Console ${++consumers}`, callbackUrl, permissions: CONSUMER_PERMISSIONS, private: false });
        return { clientId: consumer.key as string, clientSecret: consumer.secret as string };
      },
      async authorize(authorizeUrl, decision) {
        const browser = new BrowserClient(site);
        const signIn = await (await browser.get('/account/signin/')).text();
        const signInFields = Object.fromEntries(readInputs(signIn).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
        await browser.postForm('/account/signin/', { ...signInFields, next: '/', username: 'alice', password: 'alice' });
        let response = await browser.get(authorizeUrl.href);
        if (!isRedirect(response)) {
          const consent = await response.text();
          const fields = Object.fromEntries(readInputs(consent).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
          response = await browser.postForm('/site/oauth2/authorize', { ...fields, decision });
        }
        if (!isRedirect(response)) throw new Error(`the authorize pages did not send the browser back (HTTP ${response.status})`);
        return new URL(response.headers.get('location') ?? '', site);
      },
      async expireAccessTokens() {
        await created('/_emulator/tokens/expire', { username: 'alice', kind: 'access' });
      },
      async createPersonalAccessToken(kind, expiresOn) {
        const scopes = kind === 'no_repository_scope' ? ['read:user:bitbucket'] : API_TOKEN_SCOPES;
        const token = await created('/_emulator/api-tokens', { username: 'alice', scopes, expiresAt: expiresOn });
        return { token: token.token as string, email: token.email as string };
      },
      async rateLimitNextApiCall() {
        throw new Error('The Bitbucket emulator has no rate-limit fault yet.');
      },
      contexts: [
        { name: 'the repository: its main branch', context: widgets({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', refType: 'branch', owner: 'acme', repo: 'widgets' }, commitOf: 'refs/heads/main' },
        { name: 'a branch with a slash', context: widgets({ kind: 'branch', branch: 'feature/login' }), expect: { kind: 'branch', ref: 'feature/login', refType: 'branch' }, commitOf: 'refs/heads/feature/login' },
        { name: 'a slashed ref followed by a path (/src/feature/login/src)', context: widgets({ kind: 'ref', refSegments: ['feature', 'login', 'src'] }), expect: { kind: 'branch', ref: 'feature/login' }, commitOf: 'refs/heads/feature/login' },
        {
          name: 'a pull request clones its branch',
          context: widgets({ kind: 'pullRequest', pullRequestId: 1 }),
          expect: { kind: 'pullRequest', ref: 'feature/login', refType: 'branch', pullRequest: { id: 1, title: 'Add login form', sourceBranch: 'feature/login', targetBranch: 'main' } },
          commitOf: 'refs/heads/feature/login',
        },
      ],
      missingRepository: { provider: 'bitbucket', host: HOST, repositoryPath: ['acme', 'gadgets'], owner: 'acme', repo: 'gadgets', kind: 'repository' },
      push: { repositoryPath: ['acme', 'widgets'], branch: 'feature/login' },
      stop: () => emulator.stop(),
    };
  };
}

const adapter = providerAdapters.get('bitbucket');

/** Null until the runner registers its Bitbucket adapter (the suite's first test then asks for this entry). */
export const bitbucketUnderTest: ProviderUnderTest | null = adapter
  ? {
      name: 'Bitbucket Cloud',
      adapter,
      capabilities: { tokenExpiryFromProvider: false, revokesGrants: false, fineGrainedTokens: false, appInstallations: false, rateLimits: false },
      redirectMismatchFailure: 'provider_error',
      start: fixtureFor(adapter),
    }
  : null;
