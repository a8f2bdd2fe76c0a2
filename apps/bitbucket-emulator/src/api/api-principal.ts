import type { Request, RequestHandler, Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { readBasicCredentials } from '../oauth/basic-credentials.ts';
import type { Scope } from '../oauth/scopes.ts';
import { verifyAccessToken } from '../oauth/verify-access-token.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { User } from '../store/user-store.ts';
import { sendApiError } from './api-error.ts';
import { apiTokenPrincipal } from './api-token-principal.ts';
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

/**
 * Authenticates an API request. Bitbucket takes the access token as `Authorization: Bearer`, or
 * as the `access_token` query parameter
 * (https://developer.atlassian.com/cloud/bitbucket/oauth-2/#making-requests). The emulator also
 * takes a seeded user's username and password with HTTP Basic. An unknown, revoked or expired
 * token is a 401; token responses carry the granted scopes in `X-OAuth-Scopes`.
 */
export function authenticateApiRequest(context: EmulatorContext): RequestHandler {
  return (req, res, next) => {
    const bearer = readBearerToken(req);
    if (bearer !== undefined) {
      const check = verifyAccessToken(context, bearer);
      if (!check.ok) {
        // Inferred wording; Bitbucket answers 401 for both.
        const message =
          check.reason === 'expired'
            ? 'Access token expired.'
            : 'Token is invalid, expired, or not supported for this endpoint.';
        return sendApiError(res, 401, message);
      }
      // Inferred format: comma-separated, as integrations split it on ",".
      res.set('X-OAuth-Scopes', check.token.scopes.join(', '));
      principals.set(res, {
        kind: 'token',
        user: check.user,
        consumer: check.consumer,
        scopes: check.token.scopes,
      });
      return next();
    }
    const basic = readBasicCredentials(req);
    if (basic) {
      const fromApiToken = apiTokenPrincipal(context, res, basic);
      if (fromApiToken === 'refused') return;
      if (fromApiToken) {
        principals.set(res, fromApiToken);
        return next();
      }
      const user = context.users.authenticate(basic.username, basic.password);
      if (!user) return sendApiError(res, 401, 'Invalid username or password.');
      principals.set(res, { kind: 'password', user });
      return next();
    }
    if (req.get('authorization') !== undefined)
      return sendApiError(res, 401, 'Unsupported authorization scheme.');
    next();
  };
}

function readBearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (match?.[1]) return match[1];
  const fromQuery = req.query.access_token;
  return typeof fromQuery === 'string' && fromQuery !== '' && req.get('authorization') === undefined
    ? fromQuery
    : undefined;
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
