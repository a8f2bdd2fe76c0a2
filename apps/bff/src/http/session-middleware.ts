import type { RequestHandler } from 'express';
import type { AuthService } from '../services/auth-service.ts';
import { readCookie, type CookieNames } from './cookies.ts';
import { isBearerRequest, setRequestUser } from './request-context.ts';

export function createSessionMiddleware(auth: AuthService, names: CookieNames): RequestHandler {
  return (req, _res, next) => {
    // An API token decided who the caller is; the cookie is ignored (see bearer-auth.ts).
    if (isBearerRequest(req)) return next();
    const token = readCookie(req, names.session);
    if (!token) return next();
    auth
      .resolveSession(token)
      .then((user) => {
        if (user) setRequestUser(req, user);
        next();
      })
      .catch(next);
  };
}
