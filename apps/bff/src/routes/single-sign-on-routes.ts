import { Router, type Response } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { AuthService } from '../services/auth-service.ts';
import { sessionMaxMs } from '../services/auth-service.ts';
import { SsoRefusal, ssoAttemptMs, type SingleSignOnService } from '../services/single-sign-on-service.ts';
import { baseCookieOptions, readCookie, setSessionCookie, type CookieNames } from '../http/cookies.ts';
import type { Logger } from '../logger.ts';
import { mountRoute } from './mount-route.ts';

export function createSingleSignOnRoutes(sso: SingleSignOnService, auth: AuthService, cookies: CookieNames, secure: boolean, log: Logger): Router {
  const router = Router();
  // The attempt cookie binds a started sign-in to this browser. Lax: the identity provider's
  // redirect back is a top-level GET navigation, which carries it.
  const attemptCookie = `${secure ? '__Host-' : ''}rc_sso`;
  const attemptCookieOptions = { ...baseCookieOptions(secure), httpOnly: true };

  function refuse(res: Response, err: unknown) {
    const code = err instanceof SsoRefusal ? err.code : 'failed';
    log.warn({ code, reason: err instanceof Error ? err.message : String(err) }, 'single sign-on refused');
    res.redirect(302, `/sign-in?sso_error=${code}`);
  }

  mountRoute(router, apiRoutes.getSignInOptions, () => sso.signInOptions());
  mountRoute(router, apiRoutes.getSsoSettings, ({ user }) => sso.getSettings(user));
  mountRoute(router, apiRoutes.saveSsoSettings, ({ user, body }) => sso.saveSettings(user, body));
  mountRoute(router, apiRoutes.deleteSsoSettings, ({ user }) => sso.deleteSettings(user));

  // Browser navigations: they answer with redirects, and errors end on the sign-in page.
  mountRoute(router, apiRoutes.startSingleSignOn, async ({ query, res }) => {
    try {
      const { redirectTo, attemptCookie: value } = await sso.start(query.org);
      res.cookie(attemptCookie, value, { ...attemptCookieOptions, maxAge: ssoAttemptMs });
      res.redirect(302, redirectTo);
    } catch (err) {
      refuse(res, err);
    }
  });

  // Joining by invitation: a fetch (the token travels in the body, never in a URL), then the page
  // navigates to the provider.
  mountRoute(router, apiRoutes.startInvitationSingleSignOn, async ({ body, user, res }) => {
    const { redirectTo, attemptCookie: value } = await sso.startForInvitation(user, body.token);
    res.cookie(attemptCookie, value, { ...attemptCookieOptions, maxAge: ssoAttemptMs });
    return { redirectTo };
  });

  mountRoute(router, apiRoutes.finishSingleSignOn, async ({ req, res }) => {
    res.clearCookie(attemptCookie, attemptCookieOptions);
    try {
      const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const { userId } = await sso.finish(readCookie(req, attemptCookie), search);
      const { sessionToken } = await auth.startSession(userId);
      setSessionCookie(res, cookies, secure, sessionToken, sessionMaxMs);
      res.redirect(302, '/');
    } catch (err) {
      refuse(res, err);
    }
  });
  return router;
}
