import type { ScmProvider } from '../../scm-provider.ts';
import { githubClientKinds } from './client-kinds.ts';

// GitHub's scopes for OAuth Apps: https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps
const scopes = [
  { scope: 'repo', checkbox: 'repo', reason: 'clone, push and start from pull requests, in private repositories too' },
  { scope: 'read:user', checkbox: 'read:user', reason: 'git author name' },
  { scope: 'user:email', checkbox: 'user:email', reason: 'git author e-mail' },
  { scope: 'workflow', checkbox: 'workflow', reason: 'push changes to GitHub Actions workflows' },
] as const;

export const githubEntry: ScmProvider = {
  id: 'github',
  name: 'GitHub',
  // The runner's adapter: apps/runner/src/providers/github/.
  supported: true,
  defaultHost: 'github.com',
  // github.com, or GitHub Enterprise Server at any host (its REST API at /api/v3).
  hostEditable: true,
  // OAuth App or GitHub App: the modal lets the admin choose and shows each one's steps.
  oauthClientKinds: githubClientKinds,
  icon: {
    viewBox: '0 0 24 24',
    // A ring. Our own geometric mark on a 24×24 grid (no trademark artwork).
    path: 'M12 2a10 10 0 1 1 0 20a10 10 0 1 1 0-20ZM12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10Z',
  },
  docs: {
    oauthConsumerUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/creating-an-oauth-app',
    appAuthorizationsUrl: 'https://github.com/settings/applications',
    scopesUrl: 'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps',
  },
  oauth: {
    // https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
    authorizePath: '/login/oauth/authorize',
    tokenPath: '/login/oauth/access_token',
    // On github.com the API has its own origin (https://api.github.com); on GitHub Enterprise
    // Server it is https://{host}/api/v3.
    apiBasePath: '',
    // https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
    revokeEndpoint: '/applications/{client_id}/grant',
    requiredScopes: scopes,
    clientIdLabel: 'Client ID',
    clientSecretLabel: 'Client secret',
  },
  // https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens
  apiTokens: {
    label: 'personal access token',
    createPageLabel: 'GitHub’s personal access token page',
    createUrl: 'https://github.com/settings/tokens/new?scopes=repo,read:user,user:email,workflow&description=Runner%20Console',
    docsUrl: 'https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens',
    requiredScopes: scopes,
    // Fine-grained tokens last at most a year (366 days); classic ones may have no expiry.
    maxLifetimeDays: 366,
    gitUsername: 'x-access-token',
    restUsername: 'bearer',
  },
};
