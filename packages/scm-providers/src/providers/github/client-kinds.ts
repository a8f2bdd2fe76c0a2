import type { OAuthClientKind } from '../../scm-provider.ts';

// The two kinds of OAuth client GitHub offers for signing users in, both through the same web
// flow and token endpoint:
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/differences-between-github-apps-and-oauth-apps
// Permission names as GitHub's app settings page writes them:
// https://docs.github.com/en/apps/creating-github-apps/registering-a-github-app/choosing-permissions-for-a-github-app
export const githubClientKinds: readonly OAuthClientKind[] = [
  {
    id: 'oauth_app',
    label: 'OAuth App',
    summary: 'Simplest to set up: a token reaches every repository the developer can reach, with the scopes below.',
    registerPath: '/settings/applications/new',
    steps: [
      'On GitHub, open Settings › Developer settings › OAuth Apps (an organization’s settings work too) and choose New OAuth App.',
      'Give it a name your team recognises; the Homepage URL can be your Runner Console address.',
      'Paste the Callback URL from this form into Authorization callback URL. Leave Enable Device Flow off.',
      'Choose Register application, then Generate a new client secret.',
      'Copy the Client ID and the client secret into the fields here. Developers grant the scopes below when they connect.',
    ],
    installPath: null,
    permissions: null,
  },
  {
    id: 'github_app',
    label: 'GitHub App',
    summary: 'Least privilege: tokens reach only the repositories the app is installed on, last 8 hours and renew themselves.',
    registerPath: '/settings/apps/new',
    steps: [
      'On GitHub, open Settings › Developer settings › GitHub Apps (or the organization’s) and choose New GitHub App.',
      'Give it a name, and paste the Callback URL from this form into Callback URL. Keep Expire user authorization tokens ticked.',
      'Untick Webhook › Active: Runner Console needs no webhooks.',
      'Under Permissions, set exactly the ones listed below; leave the others at No access.',
      'Create the app, then Generate a new client secret. Copy the Client ID and the client secret into the fields here.',
      'Install the app on the organization and pick the repositories developers work on (the install link is below). A developer can open only repositories the installation covers.',
    ],
    installPath: '/apps/{slug}/installations/new',
    permissions: [
      { name: 'Repository › Contents', access: 'Read and write', reason: 'clone and push' },
      { name: 'Repository › Pull requests', access: 'Read-only', reason: 'start from pull requests' },
      { name: 'Repository › Metadata', access: 'Read-only', reason: 'find repositories and branches (GitHub sets it)' },
      { name: 'Account › Email addresses', access: 'Read-only', reason: 'git author e-mail' },
    ],
  },
];
