import type { Response } from 'express';
import { checkApiTokenForRest } from '../api-tokens/api-token-credentials.ts';
import type { ApiTokenScope } from '../api-tokens/api-token-scopes.ts';
import type { EmulatorContext } from '../emulator-context.ts';
import type { BasicCredentials } from '../oauth/basic-credentials.ts';
import type { User } from '../store/user-store.ts';
import { sendApiError } from './api-error.ts';

/**
 * Basic `email:api_token` on the REST API. Returns the principal, 'refused' after answering 401,
 * or undefined when the password is not an API token (the caller then tries a password).
 * Bitbucket answers one 401 for every refusal; the emulator does too (inferred wording).
 * Inferred: responses carry the token's scopes in `X-OAuth-Scopes`, as they do for OAuth tokens.
 */
export function apiTokenPrincipal(
  context: EmulatorContext,
  res: Response,
  basic: BasicCredentials,
): { kind: 'api_token'; user: User; scopes: readonly ApiTokenScope[] } | 'refused' | undefined {
  const check = checkApiTokenForRest(context, basic.username, basic.password);
  if (!check) return undefined;
  if (!check.ok) {
    sendApiError(res, 401, 'Invalid credentials.');
    return 'refused';
  }
  res.set('X-OAuth-Scopes', check.token.scopes.join(', '));
  return { kind: 'api_token', user: check.user, scopes: check.token.scopes };
}
