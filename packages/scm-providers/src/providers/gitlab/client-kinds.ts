import type { OAuthClientKind } from '../../scm-provider.ts';

// One kind of OAuth client: an application, owned by a user, a group or the instance, all made on
// the same form. https://docs.gitlab.com/integration/oauth_provider/
// The form's labels: Name, Redirect URI, Confidential, Scopes; after saving, Application ID and Secret.
export const gitlabClientKinds: readonly OAuthClientKind[] = [
  {
    id: 'application',
    label: 'OAuth application',
    summary: 'A user, group or instance application: tokens last 2 hours and renew themselves.',
    // User settings › Applications (GitLab 16.0 and later; a group's is Settings › Applications).
    registerPath: '/-/user_settings/applications',
    steps: [
      'On GitLab, open your avatar › Edit profile › Applications (or a group’s Settings › Applications, or Admin › Applications for the whole instance) and choose Add new application.',
      'Give it a Name your team recognises, and paste the Callback URL from this form into Redirect URI.',
      'Keep Confidential ticked: the client secret stays on the runner, which can keep it secret.',
      'Under Scopes, tick exactly the scopes listed below.',
      'Choose Save application, then copy the Application ID into Client ID and the Secret into Client Secret here (GitLab shows the secret once).',
    ],
    installPath: null,
    permissions: null,
  },
];
