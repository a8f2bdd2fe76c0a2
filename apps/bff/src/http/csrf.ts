import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@runner-console/envelope/constant-time-equal';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-error.ts';
import { baseCookieOptions, readCookie, type CookieNames } from './cookies.ts';
import { isBearerRequest } from './request-context.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF protection for every state-changing /api request, in two layers:
 * - the Origin (or Referer) must be our own origin when the browser sends one;
 * - double-submit: header `x-csrf-token` must equal the `rc_csrf` cookie. A cross-site form cannot
 *   set a custom header, and SameSite=Lax keeps the session cookie off cross-site posts anyway.
 * Requests with an API token (bearer-auth.ts) skip both: they carry no ambient credential to forge,
 * and their session cookie, if any, is ignored.
 */
export function createCsrfProtection(names: CookieNames, secure: boolean, publicOrigin: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (isBearerRequest(req)) return next();
    if (!readCookie(req, names.csrf)) {
      res.cookie(names.csrf, randomBytes(24).toString('base64url'), { ...baseCookieOptions(secure), httpOnly: false, sameSite: 'strict' });
    }
    if (safeMethods.has(req.method)) return next();
    const origin = req.get('origin') ?? refererOrigin(req.get('referer'));
    if (origin && origin !== publicOrigin && !isLoopbackTwin(origin, publicOrigin)) {
      return next(new HttpError(403, 'csrf_failed', 'This request came from another site and was refused. Reload the page and try again.'));
    }
    const cookie = readCookie(req, names.csrf);
    const header = req.get('x-csrf-token');
    if (!cookie || !header || !constantTimeEqual(cookie, header)) {
      return next(new HttpError(403, 'csrf_failed', 'Your session could not be verified. Reload the page and try again.'));
    }
    next();
  };
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'null';
  }
}

/** http://localhost:8080 and http://127.0.0.1:8080 are the same server; accept both in development. */
function isLoopbackTwin(origin: string, publicOrigin: string): boolean {
  try {
    const a = new URL(origin);
    const b = new URL(publicOrigin);
    const loop = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
    return a.protocol === b.protocol && a.port === b.port && loop(a.hostname) && loop(b.hostname);
  } catch {
    return false;
  }
}
