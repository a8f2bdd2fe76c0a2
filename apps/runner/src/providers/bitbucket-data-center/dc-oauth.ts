// Bitbucket Data Center's OAuth 2.0 answers (an incoming application link). The token endpoint
// answers RFC 6749 errors: 401 `invalid_client` for a wrong Client ID or secret, 400
// `invalid_grant` for a code or refresh token it does not take; the authorize step redirects with
// `error` (`access_denied` when the user denies, `invalid_scope` when the link does not allow a scope).
// https://confluence.atlassian.com/bitbucketserver/bitbucket-oauth-2-0-provider-api-1108483661.html
import type { ClientCheckVerdict, OAuthRefusal, OAuthRefusalMeaning } from '../provider-adapter.ts';

const ADMIN_FIX = 'Ask an admin of your organization to check the Bitbucket Data Center integration (Settings › Runners).';

export function describeDataCenterOAuthRefusal(refusal: OAuthRefusal, step: 'authorize' | 'exchange' | 'refresh'): OAuthRefusalMeaning {
  switch (refusal.error) {
    case 'invalid_client':
    case 'unauthorized_client':
      return {
        failureCode: 'invalid_client',
        message: `Bitbucket Data Center refused the integration's Client ID or Client secret. ${ADMIN_FIX} The admin copies both again from the incoming application link (Administration › Application links).`,
      };
    case 'invalid_scope':
      return {
        failureCode: 'invalid_client',
        message: `The application link on Bitbucket Data Center does not allow the permissions Runner Console asks for. ${ADMIN_FIX} The admin edits the incoming link and chooses Repositories: Write.`,
      };
    case 'redirect_uri_mismatch':
      return { failureCode: 'invalid_client', message: `Bitbucket Data Center refused the runner's callback URL. ${ADMIN_FIX} The admin sets the link's Redirect URL to the callback URL the integration shows.` };
    case 'access_denied':
      return { failureCode: 'access_denied', message: 'You denied access on Bitbucket Data Center. Click Connect again when you are ready.' };
    case 'invalid_grant':
      return step === 'refresh'
        ? { failureCode: 'provider_error', message: 'Bitbucket Data Center no longer accepts this connection’s refresh token. Connect again.' }
        : { failureCode: 'provider_error', message: 'Bitbucket Data Center did not accept the sign-in code (it was already used, expired, or the sign-in was interrupted). Click Connect again.' };
    default: {
      const said = refusal.description ? `: ${refusal.description}` : '';
      return { failureCode: 'provider_error', message: `Bitbucket Data Center answered "${refusal.error}"${said}. ${step === 'refresh' ? 'Connect again.' : 'Click Connect again.'}` };
    }
  }
}

/**
 * Validate: the admin's Client ID and secret, sent with a code that cannot exist. A wrong client
 * is `invalid_client` (401); a right one gets to the code, which is `invalid_grant` (400).
 */
export function judgeDataCenterClientCheck(refusal: OAuthRefusal | null, status: number): ClientCheckVerdict {
  if (refusal?.error === 'invalid_client' || refusal?.error === 'unauthorized_client' || status === 401) {
    return { status: 'invalid_credentials', message: 'Bitbucket Data Center refused this Client ID and Client secret. Copy both again from the incoming application link (Administration › Application links) and save.' };
  }
  if (refusal?.error === 'invalid_grant' || refusal?.error === 'invalid_request') return { status: 'valid', message: 'Bitbucket Data Center accepted the Client ID and Client secret.' };
  return { status: 'provider_unreachable', message: `Bitbucket Data Center answered unexpectedly (HTTP ${status}${refusal ? `, ${refusal.error}` : ''}). Try again later.` };
}
