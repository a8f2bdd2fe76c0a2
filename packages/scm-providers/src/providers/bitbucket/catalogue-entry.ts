import type { ScmProvider } from '../../scm-provider.ts';

// Icons are our own simple geometric marks on a 24×24 grid (no trademark artwork).

export const bitbucketEntry: ScmProvider = {
  id: 'bitbucket',
  name: 'Bitbucket',
  supported: true,
  defaultHost: 'bitbucket.org',
  // Bitbucket Cloud only; Bitbucket Data Center (self-hosted) is a different product and API, and
  // the provider of its own (providers/bitbucket-data-center/).
  hostEditable: false,
  selfHostedUnsupportedMessage:
    'Bitbucket (Cloud) is bitbucket.org only. For a self-hosted Bitbucket (Data Center), choose Bitbucket Data Center in the provider list and enter its host there.',
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
    createPageLabel: 'Atlassian’s API token page',
    accountEmailLabel: 'Atlassian account e-mail',
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
