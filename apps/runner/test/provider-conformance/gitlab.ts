// GitLab in the conformance suite: the runner's GitLab adapter against apps/gitlab-emulator (its
// seed: alice and bob; acme/widgets with main, feature/login, tag v1.0.0 and merge request !1 from
// feature/login, and !2 from bob's fork bob/widgets; the subgroup project acme/platform/tools with
// feature/lint and its merge request !1).
import * as oauth from 'oauth4webapi';
import type { ContextUrl, ContextUrlTarget } from '@runner-console/scm-providers';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { startSourceEmulator } from '../../../../test-support/source-emulator-process.ts';
import { gitlabAdapter, gitlabOAuthScopes } from '../../src/providers/gitlab/adapter.ts';
import type { ProviderEndpoints } from '../../src/providers/provider-adapter.ts';
import type { ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const HOST = 'gitlab.com';

function project(path: readonly string[], target: ContextUrlTarget): ContextUrl {
  return { provider: 'gitlab', host: HOST, repositoryPath: path, owner: path.slice(0, -1).join('/'), repo: path[path.length - 1]!, ...target };
}
const widgets = (target: ContextUrlTarget) => project(['acme', 'widgets'], target);
const tools = (target: ContextUrlTarget) => project(['acme', 'platform', 'tools'], target);

async function start(): Promise<ProviderFixture> {
  const emulator = await startSourceEmulator('gitlab-emulator', 'GITLAB_PORT', (baseUrl) => ({ GITLAB_PUBLIC_URL: baseUrl }));
  const site = emulator.baseUrl;
  const endpoints: ProviderEndpoints = {
    provider: 'gitlab',
    host: HOST,
    siteUrl: site,
    apiUrl: gitlabAdapter.apiUrlForSite(site),
    authorizationServer: { issuer: site, authorization_endpoint: `${site}/oauth/authorize`, token_endpoint: `${site}/oauth/token` },
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
    // GitLab has one kind of client: every application's tokens last 2 hours and refresh.
    async createClient(_kind, callbackUrl) {
      const app = await created('/_emulator/applications', { name: 'Runner Console', redirectUri: callbackUrl, scopes: gitlabOAuthScopes(), confidential: true });
      return { clientId: app.applicationId as string, clientSecret: app.secret as string };
    },
    async authorize(authorizeUrl, decision) {
      const browser = new BrowserClient(site);
      let response = await browser.followRedirects(await browser.get(authorizeUrl.href));
      for (let step = 0; step < 4 && !isRedirect(response); step++) {
        const page = await response.text();
        const fields = Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
        if (page.includes('name="password"')) {
          response = await browser.followRedirects(await browser.postForm('/users/sign_in', { ...fields, login: 'alice', password: 'alice' }));
        } else {
          response = await browser.followRedirects(await browser.postForm('/oauth/authorize', { ...fields, decision }));
        }
      }
      if (!isRedirect(response)) throw new Error(`the authorize pages did not send the browser back (HTTP ${response.status})`);
      return new URL(response.headers.get('location') ?? '', site);
    },
    async expireAccessTokens() {
      await created('/_emulator/tokens/expire', { username: 'alice' });
    },
    async createPersonalAccessToken(kind, expiresOn) {
      const scopes = kind === 'no_repository_scope' ? ['read_user', 'read_api', 'read_repository'] : gitlabOAuthScopes();
      return { token: (await created('/_emulator/personal-access-tokens', { username: 'alice', scopes, expiresAt: expiresOn })).token as string, email: null };
    },
    async rateLimitNextApiCall() {
      await created('/_emulator/faults', { endpoint: 'api', rateLimitNext: 1, rateLimit: { status: 429, resetSeconds: 600 } });
    },
    contexts: [
      { name: 'the project: its default branch', context: widgets({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', refType: 'branch', owner: 'acme', repo: 'widgets' }, commitOf: 'refs/heads/main' },
      { name: 'a branch with a slash (/-/tree/feature/login)', context: widgets({ kind: 'branch', branch: 'feature/login' }), expect: { kind: 'branch', ref: 'feature/login', refType: 'branch' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a slashed ref followed by a path (/-/blob/feature/login/src)', context: widgets({ kind: 'ref', refSegments: ['feature', 'login', 'src'] }), expect: { kind: 'branch', ref: 'feature/login' }, commitOf: 'refs/heads/feature/login' },
      { name: 'a tag (/-/tree/v1.0.0)', context: widgets({ kind: 'ref', refSegments: ['v1.0.0'] }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      { name: 'a tag named as one (/-/tags/v1.0.0)', context: widgets({ kind: 'tag', tag: 'v1.0.0' }), expect: { kind: 'tag', ref: 'v1.0.0', refType: 'tag' }, commitOf: 'refs/tags/v1.0.0' },
      {
        name: 'a merge request (/-/merge_requests/1) clones its branch',
        context: widgets({ kind: 'pullRequest', pullRequestId: 1 }),
        expect: { kind: 'pullRequest', ref: 'feature/login', refType: 'branch', pullRequest: { id: 1, title: 'Add login form', sourceBranch: 'feature/login', targetBranch: 'main' } },
        commitOf: 'refs/heads/feature/login',
      },
      { name: "a fork's merge request (!2) clones the fork's branch", context: widgets({ kind: 'pullRequest', pullRequestId: 2 }), expect: { kind: 'pullRequest', ref: 'fix/typo', owner: 'bob', repo: 'widgets' }, clonesFrom: ['bob', 'widgets'] },
      { name: 'a project in a subgroup (acme/platform/tools)', context: tools({ kind: 'repository' }), expect: { kind: 'repository', ref: 'main', owner: 'acme/platform', repo: 'tools' } },
      {
        name: 'a merge request in a subgroup project',
        context: tools({ kind: 'pullRequest', pullRequestId: 1 }),
        expect: { kind: 'pullRequest', ref: 'feature/lint', owner: 'acme/platform', repo: 'tools', pullRequest: { id: 1, title: 'Add a lint script', sourceBranch: 'feature/lint', targetBranch: 'main' } },
      },
    ],
    missingRepository: project(['acme', 'platform', 'gadgets'], { kind: 'repository' }),
    push: { repositoryPath: ['acme', 'widgets'], branch: 'feature/login' },
    stop: () => emulator.stop(),
  };
}

export const gitlabUnderTest: ProviderUnderTest = {
  name: 'GitLab',
  adapter: gitlabAdapter,
  capabilities: { tokenExpiryFromProvider: true, revokesGrants: true, fineGrainedTokens: false, appInstallations: false, rateLimits: true },
  // Doorkeeper answers invalid_grant for a redirect_uri other than the authorize request's: the
  // developer connects again (an admin's wrong Redirect URI is refused at authorize, on GitLab's page).
  redirectMismatchFailure: 'provider_error',
  start,
};
