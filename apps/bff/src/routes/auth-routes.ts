import { Router } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { apiRoutes } from '@runner-console/contracts';
import type { AuthService } from '../services/auth-service.ts';
import { sessionMaxMs } from '../services/auth-service.ts';
import { readCookie, setSessionCookie, type CookieNames } from '../http/cookies.ts';
import { HttpError } from '../http/http-error.ts';
import { isBearerRequest } from '../http/request-context.ts';
import { mountRoute } from './mount-route.ts';
import type { SignInThrottle } from '../store/sign-in-throttle.ts';

function pausedError(ms: number): HttpError {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  return new HttpError(
    429,
    'rate_limited',
    `Too many failed sign-in attempts for this account, so password sign-in is paused. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin of your organization to reset your password.`,
  );
}

/** `limitStore` holds the attempt counters; the BFF passes one in its database, shared by every instance. */
export function createAuthRoutes(auth: AuthService, cookies: CookieNames, secure: boolean, limitStore?: Store, throttle?: SignInThrottle): Router {
  const router = Router();

  // Failed sign-ins per client and e-mail: 10 per 15 minutes, then a clear 429.
  const signInLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 10,
    skipSuccessfulRequests: true,
    ...(limitStore ? { store: limitStore } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      // Runs before the body is validated: anything but a string counts as no e-mail.
      const email = (req.body as { email?: unknown } | undefined)?.email;
      return `${ipKeyGenerator(req.ip ?? '')}|${typeof email === 'string' ? email.toLowerCase().slice(0, 254) : ''}`;
    },
    // Says what can be done: wait, or have an admin reset the password (Settings › Members).
    handler: (req, _res, next) => {
      const resetAt = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const minutes = resetAt ? Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 60_000)) : 15;
      next(
        new HttpError(
          429,
          'rate_limited',
          `Too many failed sign-in attempts for this account, so sign-in is paused for 15 minutes. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an admin of your organization to reset your password.`,
        ),
      );
    },
  });
  router.post(apiRoutes.signIn.path, signInLimiter);

  mountRoute(router, apiRoutes.getSession, async ({ user }) => ({ user: user ?? null }));

  mountRoute(router, apiRoutes.signIn, async ({ body, res }) => {
    // Per account, from any address: paused, even for the right password, until the backoff ends.
    const paused = (await throttle?.pausedFor(body.email)) ?? 0;
    if (paused > 0) throw pausedError(paused);
    let signedIn;
    try {
      signedIn = await auth.signIn(body.email, body.password);
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) await throttle?.recordFailure(body.email);
      throw err;
    }
    await throttle?.clear(body.email);
    const { sessionToken, user } = signedIn;
    setSessionCookie(res, cookies, secure, sessionToken, sessionMaxMs);
    res.status(200).json({ user });
  });

  mountRoute(router, apiRoutes.signOut, async ({ req, res }) => {
    // A request with an API token ignores the session cookie (bearer-auth.ts): it signs nothing out.
    if (isBearerRequest(req)) return;
    const token = readCookie(req, cookies.session);
    if (token) await auth.signOut(token);
    res.clearCookie(cookies.session, { path: '/', secure, sameSite: 'lax', httpOnly: true });
  });

  return router;
}
