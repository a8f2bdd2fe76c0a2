import { Router } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import { apiRoutes } from '@runner-console/contracts';
import { sessionMaxMs } from '../services/auth-service.ts';
import type { SetupService } from '../services/setup-service.ts';
import type { MemberService } from '../services/member-service.ts';
import { readCookie, setSessionCookie, type CookieNames } from '../http/cookies.ts';
import { HttpError } from '../http/http-error.ts';
import { findRequestUser } from '../http/request-context.ts';
import { mountRoute } from './mount-route.ts';

/**
 * First-run set-up, members, invitations, password resets and the org-wide audit log. `limitStore`
 * counts wrong set-up codes and link attempts per client in the database (shared by every instance).
 */
export function createOrganizationRoutes(deps: { setup: SetupService; members: MemberService; cookies: CookieNames; secure: boolean; limitStore?: Store; linkLimitStore?: Store; passwordChangeLimitStore?: Store }): Router {
  const { setup, members, cookies, secure } = deps;
  const router = Router();

  // Wrong set-up codes per client: 10 per 15 minutes, then a clear 429 (a code has ~79 bits anyway).
  router.post(
    apiRoutes.completeSetup.path,
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit: 10,
      skipSuccessfulRequests: true,
      ...(deps.limitStore ? { store: deps.limitStore } : {}),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
      handler: (req, _res, next) => {
        const resetAt = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const minutes = resetAt ? Math.max(1, Math.ceil((resetAt.getTime() - Date.now()) / 60_000)) : 15;
        next(new HttpError(429, 'rate_limited', `Too many wrong set-up codes from this address. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`));
      },
    }),
  );
  // Link tokens are 256-bit random, so guessing is hopeless; the limit keeps a scanner from hammering.
  const linkLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: 50,
    skipSuccessfulRequests: true,
    ...(deps.linkLimitStore ? { store: deps.linkLimitStore } : {}),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', 'Too many attempts with links that do not work. Wait 15 minutes and try again.')),
  });
  // A wrong current password is a guess at it (from a stolen session, say): 10 per 15 minutes per user.
  router.post(
    apiRoutes.changeOwnPassword.path,
    rateLimit({
      windowMs: 15 * 60 * 1000,
      limit: 10,
      skipSuccessfulRequests: true,
      ...(deps.passwordChangeLimitStore ? { store: deps.passwordChangeLimitStore } : {}),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => findRequestUser(req)?.id ?? ipKeyGenerator(req.ip ?? ''),
      handler: (_req, _res, next) => next(new HttpError(429, 'rate_limited', 'Too many wrong current passwords. Wait 15 minutes and try again, or ask an admin to reset your password.')),
    }),
  );
  for (const route of [apiRoutes.previewInvitation, apiRoutes.acceptInvitation, apiRoutes.startInvitationSingleSignOn, apiRoutes.previewPasswordReset, apiRoutes.completePasswordReset]) {
    router.post(route.path, linkLimiter);
  }

  mountRoute(router, apiRoutes.getSetupStatus, () => setup.status());
  mountRoute(router, apiRoutes.completeSetup, async ({ body, res }) => {
    const { sessionToken, user } = await setup.complete(body);
    setSessionCookie(res, cookies, secure, sessionToken, sessionMaxMs);
    return { user };
  });

  mountRoute(router, apiRoutes.previewInvitation, ({ body }) => members.previewInvitation(body.token));
  mountRoute(router, apiRoutes.acceptInvitation, async ({ body, user, res }) => {
    const { sessionToken, user: member } = await members.acceptInvitation(user, body);
    setSessionCookie(res, cookies, secure, sessionToken, sessionMaxMs);
    return { user: member };
  });
  mountRoute(router, apiRoutes.previewPasswordReset, ({ body }) => members.previewPasswordReset(body.token));
  mountRoute(router, apiRoutes.completePasswordReset, ({ body }) => members.completePasswordReset(body));
  mountRoute(router, apiRoutes.changeOwnPassword, ({ user, body, req }) => members.changeOwnPassword(user, readCookie(req, cookies.session), body));

  mountRoute(router, apiRoutes.listMembers, ({ user }) => members.list(user));
  mountRoute(router, apiRoutes.updateMember, ({ user, params, body }) => members.changeRole(user, params.userId!, body.role));
  mountRoute(router, apiRoutes.removeMember, ({ user, params }) => members.remove(user, params.userId!));
  mountRoute(router, apiRoutes.createPasswordReset, ({ user, params }) => members.createPasswordReset(user, params.userId!));
  mountRoute(router, apiRoutes.createInvitation, ({ user, body }) => members.invite(user, body));
  mountRoute(router, apiRoutes.revokeInvitation, ({ user, params }) => members.revokeInvitation(user, params.invitationId!));
  mountRoute(router, apiRoutes.getOrgAuditLog, ({ user, query }) => members.auditLog(user, query.limit, query.cursor));

  return router;
}
