// GitHub's OAuth answers: OAuth Apps and GitHub Apps share the web flow and the token endpoint.
// The token endpoint answers errors with HTTP 200 and `{error, error_description, error_uri}`
// (https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors),
// the authorize step redirects with `error` (redirect_uri_mismatch, access_denied:
// https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-authorization-request-errors).
import * as oauth from 'oauth4webapi';
import type { ClientCheckVerdict, OAuthRefusal, OAuthRefusalMeaning } from '../provider-adapter.ts';
import { readOAuthRefusalOf } from '../read-oauth-refusal.ts';

function refusalOf(status: number, body: unknown): OAuthRefusal | null {
  if (typeof body !== 'object' || body === null) return null;
  const { error, error_description: description } = body as { error?: unknown; error_description?: unknown };
  if (typeof error !== 'string' || error === '') return null;
  return { status, error: error.slice(0, 100), description: typeof description === 'string' ? description.slice(0, 300) : null };
}

/**
 * The OAuth error in what oauth4webapi threw (a non-200 error body, or a 200 answer without
 * `access_token`, whose body it keeps as `cause.body`), or in a token endpoint Response itself.
 */
export async function readGitHubOAuthRefusal(errorOrResponse: unknown): Promise<OAuthRefusal | null> {
  const read = await readOAuthRefusalOf(errorOrResponse);
  if (read) return read;
  if (errorOrResponse instanceof oauth.OperationProcessingError) {
    const cause = errorOrResponse.cause as { body?: unknown } | undefined;
    return refusalOf(200, cause?.body);
  }
  return null;
}

const ADMIN_FIX = 'Ask an admin of your organization to check the GitHub integration (Settings › Runners).';

/** What a GitHub refusal means, and what the developer or the admin must do about it. */
export function describeGitHubOAuthRefusal(refusal: OAuthRefusal, step: 'authorize' | 'exchange' | 'refresh'): OAuthRefusalMeaning {
  switch (refusal.error) {
    case 'incorrect_client_credentials':
    case 'invalid_client':
      return { failureCode: 'invalid_client', message: `GitHub refused the integration's Client ID or Client secret. ${ADMIN_FIX} The admin copies both again from the app's settings on GitHub.` };
    case 'redirect_uri_mismatch':
      return {
        failureCode: 'invalid_client',
        message: `GitHub refused the runner's callback URL: it is not the callback URL registered for the app. ${ADMIN_FIX} The admin sets the app's callback URL on GitHub to the one the integration shows.`,
      };
    case 'bad_verification_code':
      return { failureCode: 'provider_error', message: 'GitHub did not accept the sign-in code (it was already used or expired). Click Connect again.' };
    case 'bad_refresh_token':
      return { failureCode: 'provider_error', message: 'GitHub no longer accepts this connection’s refresh token. Connect again.' };
    case 'access_denied':
      return { failureCode: 'access_denied', message: 'You cancelled access on GitHub. Click Connect again when you are ready.' };
    case 'application_suspended':
      return { failureCode: 'invalid_client', message: `GitHub says the app is suspended. ${ADMIN_FIX}` };
    case 'unverified_user_email':
      return { failureCode: 'provider_error', message: 'GitHub asks you to verify the e-mail address of your GitHub account first. Verify it on GitHub, then Connect again.' };
    default: {
      const said = refusal.description ? `: ${refusal.description}` : '';
      const again = step === 'refresh' ? 'Connect again.' : 'Click Connect again.';
      return { failureCode: 'provider_error', message: `GitHub answered "${refusal.error}"${said}. ${again}` };
    }
  }
}

/**
 * Validate: the admin's Client ID and secret, sent with a code that cannot exist. GitHub checks
 * the client first: `incorrect_client_credentials` means they are wrong, `bad_verification_code`
 * (or `redirect_uri_mismatch`, which GitHub checks after the client) means they are right.
 */
export function judgeGitHubClientCheck(refusal: OAuthRefusal | null, status: number): ClientCheckVerdict {
  if (refusal?.error === 'incorrect_client_credentials' || refusal?.error === 'invalid_client' || status === 401) {
    return { status: 'invalid_credentials', message: 'GitHub refused this Client ID and Client secret. Copy both again from the app’s settings on GitHub (a new client secret is shown once) and save.' };
  }
  if (refusal?.error === 'bad_verification_code') return { status: 'valid', message: 'GitHub accepted the Client ID and Client secret.' };
  if (refusal?.error === 'redirect_uri_mismatch') {
    return { status: 'valid', message: 'GitHub accepted the Client ID and Client secret, but the app’s callback URL is not the one shown here: set it on GitHub, or developers cannot Connect.' };
  }
  return { status: 'provider_unreachable', message: `GitHub answered unexpectedly (HTTP ${status}${refusal ? `, ${refusal.error}` : ''}). Try again later.` };
}
