// GitLab's OAuth answers, from its Doorkeeper (https://docs.gitlab.com/api/oauth2/): errors come
// with their HTTP status, `{error, error_description}`, the client's as 401 with a
// WWW-Authenticate challenge (doorkeeper-gem/doorkeeper: config/locales/en.yml has the wording).
import type { ClientCheckVerdict, OAuthRefusal, OAuthRefusalMeaning } from '../provider-adapter.ts';
import { readOAuthRefusalOf } from '../read-oauth-refusal.ts';

export const readGitLabOAuthRefusal = readOAuthRefusalOf;

const ADMIN_FIX = 'Ask an admin of your organization to check the GitLab integration (Settings › Runners).';

/** What a GitLab refusal means, and what the developer or the admin must do about it. */
export function describeGitLabOAuthRefusal(refusal: OAuthRefusal, step: 'authorize' | 'exchange' | 'refresh'): OAuthRefusalMeaning {
  switch (refusal.error) {
    case 'invalid_client':
      return { failureCode: 'invalid_client', message: `GitLab refused the integration's Application ID or Secret. ${ADMIN_FIX} The admin copies both again from the application's page on GitLab (a renewed secret replaces the old one).` };
    case 'unauthorized_client':
      return { failureCode: 'invalid_client', message: `GitLab says the application may not do this. ${ADMIN_FIX}` };
    case 'invalid_scope':
      return {
        failureCode: 'invalid_client',
        message: `GitLab refused the scopes Runner Console asks for: the application does not have them all ticked. ${ADMIN_FIX} The admin ticks read_user, read_api, read_repository and write_repository on the application.`,
      };
    case 'invalid_redirect_uri':
      return { failureCode: 'invalid_client', message: `GitLab refused the runner's callback URL: it is not the application's Redirect URI. ${ADMIN_FIX} The admin sets the Redirect URI to the one the integration shows.` };
    case 'invalid_grant':
      // Doorkeeper answers invalid_grant for a used or expired code, a wrong PKCE verifier, a
      // redirect_uri other than the authorize request's, and a spent or revoked refresh token.
      if (step === 'refresh') return { failureCode: 'provider_error', message: 'GitLab no longer accepts this connection’s refresh token (it was revoked or already used). Connect again.' };
      return { failureCode: 'provider_error', message: 'GitLab did not accept the sign-in code (it was already used or expired, or the callback URL changed). Click Connect again.' };
    case 'access_denied':
      return { failureCode: 'access_denied', message: 'You denied access on GitLab. Click Connect again when you are ready.' };
    default: {
      const said = refusal.description ? `: ${refusal.description}` : '';
      const again = step === 'refresh' ? 'Connect again.' : 'Click Connect again.';
      return { failureCode: 'provider_error', message: `GitLab answered "${refusal.error}"${said}. ${again}` };
    }
  }
}

/**
 * Validate: the admin's Application ID and Secret, sent with a code that cannot exist. Doorkeeper
 * authenticates the client first: `invalid_client` (401) means they are wrong, `invalid_grant`
 * (400: the code) means they are right.
 */
export function judgeGitLabClientCheck(refusal: OAuthRefusal | null, status: number): ClientCheckVerdict {
  if (refusal?.error === 'invalid_client' || status === 401) {
    return { status: 'invalid_credentials', message: 'GitLab refused this Application ID and Secret. Copy both again from the application’s page on GitLab (Renew secret shows a new one once) and save.' };
  }
  if (refusal?.error === 'invalid_grant') return { status: 'valid', message: 'GitLab accepted the Application ID and Secret.' };
  return { status: 'provider_unreachable', message: `GitLab answered unexpectedly (HTTP ${status}${refusal ? `, ${refusal.error}` : ''}). Try again later.` };
}
