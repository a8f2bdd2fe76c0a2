import type { RequestHandler } from 'express';
import type { ConsoleApiTokenService } from '../services/console-api-token-service.ts';
import { refusalError } from '../services/console-api-token-service.ts';
import { HttpError } from './http-error.ts';
import { markBearerRequest, setRequestUser } from './request-context.ts';

/**
 * `Authorization: Bearer rcat_…` on any /api request: the API token's creator, with their current
 * role, is the caller. Runs before the CSRF check and the session cookie.
 *
 * A request that carries both a bearer token and a session cookie is treated as a bearer request
 * only: the cookie is ignored (never merged, never a fallback), so it is authorized by the token
 * alone. That is safe without the CSRF header because a browser never attaches a bearer token by
 * itself: a cross-site page cannot make a request carry one, so the header is proof of intent.
 * A bad or refused token answers 401; it never falls back to the cookie.
 */
export function createBearerAuth(tokens: ConsoleApiTokenService): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization');
    if (header === undefined) return next();
    const match = /^Bearer +(\S+)\s*$/i.exec(header);
    if (!match?.[1]) {
      return next(new HttpError(401, 'unauthenticated', 'Send the API token as "Authorization: Bearer rcat_…" (the word Bearer, a space, then the token).'));
    }
    markBearerRequest(req);
    tokens
      .resolve(match[1])
      .then((result) => {
        if ('refused' in result) return next(refusalError(result.refused));
        setRequestUser(req, result.user);
        next();
      })
      .catch(next);
  };
}
