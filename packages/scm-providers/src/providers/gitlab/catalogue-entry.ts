import type { ScmProvider } from '../../scm-provider.ts';
import { gitlabClientKinds } from './client-kinds.ts';

// The scopes, as GitLab's application and personal access token forms name their checkboxes:
// https://docs.gitlab.com/integration/oauth_provider/ and
// https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes
const scopes = [
  { scope: 'read_user', checkbox: 'read_user', reason: 'your name and commit e-mail, for the git author' },
  { scope: 'read_api', checkbox: 'read_api', reason: 'find projects, branches and merge requests from the links you paste' },
  { scope: 'read_repository', checkbox: 'read_repository', reason: 'clone' },
  { scope: 'write_repository', checkbox: 'write_repository', reason: 'push' },
] as const;

export const gitlabEntry: ScmProvider = {
  id: 'gitlab',
  name: 'GitLab',
  // The runner's adapter: apps/runner/src/providers/gitlab/.
  supported: true,
  defaultHost: 'gitlab.com',
  // gitlab.com, or a self-managed instance at https://{host} (its REST API at /api/v4).
  hostEditable: true,
  oauthClientKinds: gitlabClientKinds,
  icon: {
    viewBox: '0 0 24 24',
    // A head with two ears, pointing down. Our own geometric mark on a 24×24 grid (no trademark artwork).
    path: 'M12 21.5 2 13.5 4.5 3l3 7.5h9l3-7.5 2.5 10.5Z',
  },
  docs: {
    oauthConsumerUrl: 'https://docs.gitlab.com/integration/oauth_provider/',
    // Authorized applications are listed at the end of User settings › Applications.
    appAuthorizationsUrl: 'https://gitlab.com/-/user_settings/applications',
    scopesUrl: 'https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes',
  },
  oauth: {
    // GitLab's Doorkeeper: https://docs.gitlab.com/api/oauth2/
    authorizePath: '/oauth/authorize',
    tokenPath: '/oauth/token',
    apiBasePath: '/api/v4',
    // https://docs.gitlab.com/api/oauth2/#revoke-a-token (RFC 7009)
    revokeEndpoint: '/oauth/revoke',
    requiredScopes: scopes,
    clientIdLabel: 'Application ID',
    clientSecretLabel: 'Secret',
  },
  // https://docs.gitlab.com/user/project/merge_requests/ (`!1` in GitLab's references).
  pullRequestWording: { name: 'Merge request', numberPrefix: '!' },
  // https://docs.gitlab.com/user/profile/personal_access_tokens/
  apiTokens: {
    label: 'personal access token',
    createPageLabel: 'GitLab’s personal access token page',
    // The page takes the token's name and scopes prefilled:
    // https://docs.gitlab.com/user/profile/personal_access_tokens/#prefill-personal-access-token-name-and-scopes
    createUrl: 'https://gitlab.com/-/user_settings/personal_access_tokens?name=Runner+Console&scopes=read_user,read_api,read_repository,write_repository',
    docsUrl: 'https://docs.gitlab.com/user/profile/personal_access_tokens/',
    requiredScopes: scopes,
    // At most 365 days by default (an instance's administrator may allow up to 400).
    maxLifetimeDays: 365,
    // https://docs.gitlab.com/api/oauth2/#access-git-over-https-with-access-token
    gitUsername: 'oauth2',
    restUsername: 'bearer',
  },
};
