import type { EmulatorContext } from '../emulator-context.ts';
import type { ApiToken } from '../store/api-token-store.ts';
import type { User } from '../store/user-store.ts';

/** The username git takes with any API token (https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/). */
export const API_TOKEN_GIT_USERNAME = 'x-bitbucket-api-token-auth';

export type ApiTokenCheck =
  | { ok: true; token: ApiToken; user: User }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'wrong_user' };

/** A live, unrevoked API token of an existing user. */
export function verifyApiToken(context: EmulatorContext, value: string): ApiTokenCheck {
  const token = context.apiTokens.findByValue(value);
  if (!token) return { ok: false, reason: 'unknown' };
  if (token.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (token.expiresAt <= context.clock.now()) return { ok: false, reason: 'expired' };
  const user = context.users.findById(token.userId);
  if (!user) return { ok: false, reason: 'unknown' };
  return { ok: true, token, user };
}

/**
 * REST API: HTTP Basic with the Atlassian account's e-mail and the token
 * (https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/). Undefined when the
 * password is not an API token at all, so the caller can try other credentials.
 */
export function checkApiTokenForRest(context: EmulatorContext, email: string, value: string): ApiTokenCheck | undefined {
  const check = verifyApiToken(context, value);
  if (!check.ok) return check.reason === 'unknown' ? undefined : check;
  if (check.user.email.toLowerCase() !== email.toLowerCase()) return { ok: false, reason: 'wrong_user' };
  return check;
}

/** Git over HTTPS: `x-bitbucket-api-token-auth` or the token owner's Bitbucket username, and the token. */
export function checkApiTokenForGit(context: EmulatorContext, username: string, value: string): ApiTokenCheck | undefined {
  const check = verifyApiToken(context, value);
  if (!check.ok) return username === API_TOKEN_GIT_USERNAME || check.reason !== 'unknown' ? check : undefined;
  if (username !== API_TOKEN_GIT_USERNAME && username !== check.user.username) return { ok: false, reason: 'wrong_user' };
  return check;
}
