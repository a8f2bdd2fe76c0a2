import type { ScmProvider, ScmProviderId } from './scm-provider.ts';
import { githubClientKinds } from './providers/github/client-kinds.ts';

// Icons are our own simple geometric marks on a 24×24 grid (no trademark artwork). Holes are
// drawn with the opposite winding, so they show with the default nonzero fill rule too.

const github: ScmProvider = {
  id: 'github',
  name: 'GitHub',
  supported: false,
  unsupportedReason: 'GitHub is not available yet.',
  defaultHost: 'github.com',
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A ring.
    path: 'M12 2a10 10 0 1 1 0 20a10 10 0 1 1 0-20ZM12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10Z',
  },
  docs: {
    oauthConsumerUrl:
      'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/creating-an-oauth-app',
  },
  oauthClientKinds: githubClientKinds,
};

const gitlab: ScmProvider = {
  id: 'gitlab',
  name: 'GitLab',
  supported: false,
  unsupportedReason: 'GitLab is not available yet.',
  defaultHost: 'gitlab.com',
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A head with two ears, pointing down.
    path: 'M12 21.5 2 13.5 4.5 3l3 7.5h9l3-7.5 2.5 10.5Z',
  },
  docs: {
    oauthConsumerUrl: 'https://docs.gitlab.com/integration/oauth_provider/',
  },
};

const bitbucket: ScmProvider = {
  id: 'bitbucket',
  name: 'Bitbucket',
  supported: true,
  defaultHost: 'bitbucket.org',
  // Bitbucket Cloud only; Bitbucket Data Center (self-hosted) is a different product and API.
  hostEditable: false,
  selfHostedUnsupportedMessage:
    'Self-hosted Bitbucket (Data Center) is not supported yet. Use bitbucket.org.',
  icon: {
    viewBox: '0 0 24 24',
    // A bucket (trapezoid) with a window.
    path: 'M2.5 3h19l-2.8 18H5.3ZM9.5 9l.8 5h3.4l.8-5Z',
  },
  docs: {
    oauthConsumerUrl:
      'https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/',
    appAuthorizationsUrl: 'https://bitbucket.org/account/settings/app-authorizations/',
    scopesUrl: 'https://developer.atlassian.com/cloud/bitbucket/rest/intro/#scopes',
  },
  oauth: {
    // https://developer.atlassian.com/cloud/bitbucket/oauth-2/
    authorizePath: '/site/oauth2/authorize',
    tokenPath: '/site/oauth2/access_token',
    apiBasePath: '/2.0',
    // Bitbucket Cloud documents no token revocation endpoint: users revoke on the app
    // authorizations page (docs.appAuthorizationsUrl).
    revokeEndpoint: null,
    // The order is the order of the checkboxes on Bitbucket's consumer form.
    requiredScopes: [
      { scope: 'account', checkbox: 'Account: Read', reason: 'git author name and e-mail' },
      {
        scope: 'repository',
        checkbox: 'Repositories: Read',
        reason: 'clone and parse context URLs',
      },
      { scope: 'repository:write', checkbox: 'Repositories: Write', reason: 'push' },
      {
        scope: 'pullrequest',
        checkbox: 'Pull requests: Read',
        reason: 'start from a pull request',
      },
      { scope: 'issue', checkbox: 'Issues: Read', reason: 'show linked issues' },
    ],
    clientIdLabel: 'Key',
    clientSecretLabel: 'Secret',
  },
  // Bitbucket turned app passwords off in 2026; scoped API tokens replace them.
  // https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/
  apiTokens: {
    label: 'API token',
    createUrl: 'https://id.atlassian.com/manage-profile/security/api-tokens',
    docsUrl: 'https://support.atlassian.com/bitbucket-cloud/docs/create-an-api-token/',
    // The order is the order of the scopes on Atlassian's "Create API token with scopes" form.
    requiredScopes: [
      { scope: 'read:user:bitbucket', checkbox: 'Account: Read', reason: 'check the token, and your name and e-mail for the git author' },
      { scope: 'read:repository:bitbucket', checkbox: 'Repositories: Read', reason: 'clone and parse context URLs' },
      { scope: 'write:repository:bitbucket', checkbox: 'Repositories: Write', reason: 'push' },
      { scope: 'read:pullrequest:bitbucket', checkbox: 'Pull requests: Read', reason: 'start from a pull request' },
    ],
    maxLifetimeDays: 365,
    gitUsername: 'x-bitbucket-api-token-auth',
    restUsername: 'email',
  },
};

const azureDevops: ScmProvider = {
  id: 'azure-devops',
  name: 'Azure DevOps',
  supported: false,
  unsupportedReason: 'Azure DevOps is not available yet.',
  defaultHost: 'dev.azure.com',
  hostEditable: true,
  icon: {
    viewBox: '0 0 24 24',
    // A hexagon with a square window.
    path: 'M12 2 21 7v10l-9 5-9-5V7ZM9 9v6h6V9Z',
  },
  docs: {
    oauthConsumerUrl:
      'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/authentication-guidance',
  },
};

/** Every provider, in display order. */
export const scmProviders: readonly ScmProvider[] = Object.freeze([
  github,
  gitlab,
  bitbucket,
  azureDevops,
]);

export function getScmProvider(id: ScmProviderId): ScmProvider {
  const provider = scmProviders.find((candidate) => candidate.id === id);
  if (provider === undefined) {
    // Only reachable when an unchecked string is cast to ScmProviderId.
    throw new TypeError(`Unknown SCM provider: ${String(id)}`);
  }
  return provider;
}

export function isScmProviderId(value: unknown): value is ScmProviderId {
  return scmProviders.some((provider) => provider.id === value);
}
