import express, { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { renderExpiredFormPage } from './error-page.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { renderSignInPage } from './sign-in-page.ts';
import { safeNextPath } from './signed-in-user.ts';

const formBody = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 });

/** Log in and log out of the emulator's web pages, with the seeded users. */
export function createSignInRouter(context: EmulatorContext): Router {
  const router = Router();

  router.get('/account/signin/', (req, res) => {
    const next = safeNextPath(req.query.next);
    const { session, user } = context.sessions.ensure(req, res);
    if (user) return res.redirect(302, next);
    sendPage(res, 200, renderSignInPage({ csrfToken: session.csrfToken, next }));
  });

  router.post('/account/signin/', formBody, (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNextPath(form.next);
    const current = context.sessions.read(req);
    if (!current || !context.sessions.verifyCsrf(current.session, form.csrf_token)) {
      return sendPage(res, 403, renderExpiredFormPage());
    }
    const username = typeof form.username === 'string' ? form.username.trim() : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const user = context.users.authenticate(username, password);
    if (!user) {
      return sendPage(
        res,
        401,
        renderSignInPage({ csrfToken: current.session.csrfToken, next, username, failed: true }),
      );
    }
    context.sessions.signIn(req, res, user);
    res.redirect(302, next);
  });

  router.post('/account/signout/', formBody, (req, res) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const current = context.sessions.read(req);
    if (!current || !context.sessions.verifyCsrf(current.session, form.csrf_token)) {
      return sendPage(res, 403, renderExpiredFormPage());
    }
    context.sessions.signOut(req, res);
    res.redirect(302, '/');
  });

  return router;
}
