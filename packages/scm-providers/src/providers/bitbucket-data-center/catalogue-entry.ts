import type { ScmProvider } from '../../scm-provider.ts';

// Bitbucket Data Center (self-hosted; once Bitbucket Server). Facts from Atlassian's Data Center
// documentation, cited where they are used.

// OAuth 2.0 scopes of an incoming application link: REPO_READ lets the app clone and read pull
// requests, REPO_WRITE push (it implies REPO_READ).
// https://confluence.atlassian.com/bitbucketserver/oauth-2-0-scopes-for-incoming-links-1115665625.html
const scopes = [
  { scope: 'REPO_READ', checkbox: 'Repositories: Read', reason: 'clone, read pull requests and parse context URLs' },
  { scope: 'REPO_WRITE', checkbox: 'Repositories: Write', reason: 'push' },
] as const;

export const bitbucketDataCenterEntry: ScmProvider = {
  id: 'bitbucket-data-center',
  name: 'Bitbucket Data Center',
  // The runner's adapter: apps/runner/src/providers/bitbucket-data-center/.
  supported: true,
  // Self-hosted only: no default host, the admin types the company's (`https://{host}`).
  defaultHost: '',
  hostExample: 'bitbucket.example.com',
  hostEditable: true,
  // Bitbucket Cloud typed as the host: the other choice in the picker.
  refusedHosts: [
    {
      hosts: ['bitbucket.org', 'www.bitbucket.org', 'api.bitbucket.org'],
      message: 'That is Bitbucket Cloud, not a Data Center server: choose Bitbucket in the provider list instead.',
    },
  ],
  icon: {
    viewBox: '0 0 24 24',
    // A bucket (trapezoid) on a server rack line: our own geometric mark (no trademark artwork).
    path: 'M3 2h18l-2.4 15H5.4ZM9.6 7l.7 4.5h3.4l.7-4.5ZM4 19h16v3H4Z',
  },
  docs: {
    oauthConsumerUrl: 'https://confluence.atlassian.com/bitbucketserver/configure-an-incoming-link-1108483657.html',
    scopesUrl: 'https://confluence.atlassian.com/bitbucketserver/oauth-2-0-scopes-for-incoming-links-1115665625.html',
  },
  oauthClientKinds: [
    {
      id: 'incoming_application_link',
      label: 'Incoming application link',
      summary: 'An external application with an incoming link: Bitbucket Data Center 7.21 and later sign developers in with OAuth 2.0.',
      registerPath: '/plugins/servlet/applinks/listApplicationLinks',
      steps: [
        'On Bitbucket Data Center, as an administrator, open Administration › Application links and choose Create link.',
        'Choose External application, then Incoming as the direction, and continue.',
        'Give it a name your team recognises, and paste the Callback URL from this form into Redirect URL.',
        'Under Application permissions, choose Repositories: Write (it includes Read). Leave the others off.',
        'Save, then copy the Client ID and Client secret it shows into this form.',
      ],
      installPath: null,
      permissions: [{ name: 'Repositories', access: 'Write', reason: 'clone, start from pull requests and push (REPO_READ and REPO_WRITE)' }],
    },
  ],
  oauth: {
    // https://confluence.atlassian.com/bitbucketserver/bitbucket-oauth-2-0-provider-api-1108483661.html
    authorizePath: '/rest/oauth2/latest/authorize',
    tokenPath: '/rest/oauth2/latest/token',
    apiBasePath: '/rest/api/1.0',
    // Data Center documents no endpoint to revoke an OAuth grant: users revoke it on their account page.
    revokeEndpoint: null,
    requiredScopes: scopes,
    clientIdLabel: 'Client ID',
    clientSecretLabel: 'Client secret',
  },
  // Personal HTTP access tokens: https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html
  apiTokens: {
    label: 'HTTP access token',
    createUrl: 'https://bitbucket.example.com/plugins/servlet/access-tokens/manage',
    createPageLabel: 'your HTTP access tokens page (Manage account › HTTP access tokens)',
    docsUrl: 'https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html',
    requiredScopes: [
      { scope: 'PROJECT_READ', checkbox: 'Project permissions: Read', reason: 'read the projects your repositories are in' },
      { scope: 'REPO_WRITE', checkbox: 'Repository permissions: Write', reason: 'clone, start from pull requests and push' },
    ],
    // The creation form offers expiry in days, or none; we ask for at most a year.
    maxLifetimeDays: 365,
    gitUsername: 'x-token-auth',
    restUsername: 'bearer',
  },
};
