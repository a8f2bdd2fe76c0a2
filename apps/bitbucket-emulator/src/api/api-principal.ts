import type { Request, RequestHandler, Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { readBasicCredentials } from '@runner-console/emulator-kit';
import type { Scope } from '../oauth/scopes.ts';
import { verifyAccessToken } from '../oauth/verify-access-token.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { User } from '../store/user-store.ts';
import { sendApiError } from './api-error.ts';
import { checkApiTokenForRest } from '../api-tokens/api-token-credentials.ts';
import type { ApiTokenScope } from '../api-tokens/api-token-scopes.ts';
import { apiTokenScopeFor } from '../api-tokens/api-token-scopes.ts';

/** Who is calling the API. A password (emulator convenience) is not limited by scopes. */
export type ApiPrincipal =
  | { kind: 'token'; user: User; consumer: Consumer; scopes: readonly Scope[] }
  | { kind: 'password'; user: User }
  | { kind: 'api_token'; user: User; scopes: readonly ApiTokenScope[] }
  | { kind: 'anonymous' };

const principals = new WeakMap<Response, ApiPrincipal>();

export function principalOf(res: Response): ApiPrincipal {
  return principals.get(res) ?? { kind: 'anonymous' };
}

export function userOf(principal: ApiPrincipal): User | undefined {
  return principal.kind === 'anonymous' ? undefined : principal.user;
}

/** What one authentication scheme makes of a request: not its scheme, a principal, or a refusal. */
type SchemeResult = undefined | { principal: ApiPrincipal } | { refusal: string };

/**
 * The schemes the API accepts, tried in order; each looks only at its own kind of credential.
 * A new credential kind (API tokens with Basic e-mail:token) is one more function here.
 */
type AuthenticationScheme = (context: EmulatorContext, req: Request) => SchemeResult;

/**
 * `Authorization: Bearer {access_token}`. Since 4 May 2026 Bitbucket accepts access tokens only
 * in the Authorization header (https://developer.atlassian.com/cloud/bitbucket/oauth-2/#making-requests).
 */
const bearerScheme: AuthenticationScheme = (context, req) => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const check = verifyAccessToken(context, match[1]);
  if (!check.ok) {
    // Inferred wording; Bitbucket answers 401 for both.
    return {
      refusal:
        check.reason === 'expired'
          ? 'Access token expired.'
          : 'Token is invalid, expired, or not supported for this endpoint.',
    };
  }
  return {
    principal: {
      kind: 'token',
      user: check.user,
      consumer: check.consumer,
      scopes: check.token.scopes,
    },
  };
};

/** A seeded user's username and password with HTTP Basic (emulator convenience). */
const passwordScheme: AuthenticationScheme = (context, req) => {
  const basic = readBasicCredentials(req);
  if (!basic) return undefined;
  const user = context.users.authenticate(basic.username, basic.password);
  return user
    ? { principal: { kind: 'password', user } }
    : { refusal: 'Invalid username or password.' };
};

/**
 * Basic `email:api_token` (Bitbucket API tokens,
 * https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/). Tried before the password
 * scheme: a password that is not an API token falls through to it. Bitbucket answers one 401 for
 * every refusal (inferred wording).
 */
const apiTokenScheme: AuthenticationScheme = (context, req) => {
  const basic = readBasicCredentials(req);
  if (!basic) return undefined;
  const check = checkApiTokenForRest(context, basic.username, basic.password);
  if (!check) return undefined;
  if (!check.ok) return { refusal: 'Invalid credentials.' };
  return { principal: { kind: 'api_token', user: check.user, scopes: check.token.scopes } };
};

const SCHEMES: readonly AuthenticationScheme[] = [bearerScheme, apiTokenScheme, passwordScheme];

/**
 * Authenticates an API request with the first scheme that recognises its credentials. An unknown,
 * revoked or expired token is a 401; token responses carry the granted scopes in `X-OAuth-Scopes`.
 * An `access_token` query or body parameter is refused: the old way no longer works.
 */
export function authenticateApiRequest(context: EmulatorContext): RequestHandler {
  return (req, res, next) => {
    if (req.query.access_token !== undefined) {
      // Inferred wording.
      return sendApiError(
        res,
        401,
        'Access tokens are accepted only in the Authorization header (Authorization: Bearer <token>).',
      );
    }
    for (const scheme of SCHEMES) {
      const result = scheme(context, req);
      if (result === undefined) continue;
      if ('refusal' in result) return sendApiError(res, 401, result.refusal);
      if (result.principal.kind === 'token' || result.principal.kind === 'api_token') {
        // Inferred format: comma-separated, as integrations split it on ",".
        res.set('X-OAuth-Scopes', result.principal.scopes.join(', '));
      }
      principals.set(res, result.principal);
      return next();
    }
    if (req.get('authorization') !== undefined)
      return sendApiError(res, 401, 'Unsupported authorization scheme.');
    next();
  };
}

/**
 * Declares the scope an endpoint needs (`X-Accepted-OAuth-Scopes`) and refuses a token without it
 * with Bitbucket's 403 body, which names the required and the granted scopes.
 * https://developer.atlassian.com/cloud/bitbucket/bitbucket-cloud-rest-api-scopes/
 */
export function requireScope(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    res.set('X-Accepted-OAuth-Scopes', scope);
    const principal = principalOf(res);
    if (principal.kind === 'api_token') {
      const needed = apiTokenScopeFor(scope);
      if (needed && !principal.scopes.includes(needed)) {
        return sendApiError(res, 403, 'Your credentials lack one or more required privilege scopes.', {
          granted: principal.scopes,
          required: [needed],
        });
      }
    }
    if (principal.kind === 'token' && !principal.scopes.includes(scope)) {
      return sendApiError(
        res,
        403,
        'Your credentials lack one or more required privilege scopes.',
        {
          granted: principal.scopes,
          required: [scope],
        },
      );
    }
    next();
  };
}

/** Endpoints about "the current user" need one. */
export const requireAuthenticated: RequestHandler = (_req, res, next) => {
  if (principalOf(res).kind === 'anonymous')
    return sendApiError(res, 401, 'This endpoint requires authentication.');
  next();
};
