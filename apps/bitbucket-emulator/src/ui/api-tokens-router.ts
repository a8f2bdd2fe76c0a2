import express, { Router, type Request, type Response } from 'express';
import { ApiTokenInputError, createApiToken } from '../api-tokens/create-api-token.ts';
import { isApiTokenScope } from '../api-tokens/api-token-scopes.ts';
import type { EmulatorContext } from '../emulator-context.ts';
import { API_TOKENS_PATH, renderApiTokensPage, renderCreatedTokenPage, type ApiTokenFormValues, type ApiTokenPageContext } from './api-token-pages.ts';
import { renderExpiredFormPage } from './error-page.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { requireSignedIn } from './signed-in-user.ts';

const formBody = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
const EMPTY_FORM: ApiTokenFormValues = { name: '', expiresAt: '', scopes: [] };

/**
 * Personal settings › API tokens: create a token with scopes and an expiry of at most a year,
 * see it once, revoke it. On bitbucket.org this lives in the Atlassian account's security settings
 * (https://support.atlassian.com/bitbucket-cloud/docs/create-an-api-token/).
 */
export function createApiTokensRouter(context: EmulatorContext): Router {
  const router = Router();

  router.get(['/account/settings/api-tokens', API_TOKENS_PATH], (req, res) => {
    const page = pageContext(context, req, res);
    if (!page) return;
    sendPage(res, 200, renderApiTokensPage(page, context.apiTokens.listByUser(page.user.id), EMPTY_FORM));
  });

  router.post(API_TOKENS_PATH, formBody, (req, res) => {
    const page = pageContext(context, req, res);
    if (!page) return;
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!context.sessions.verifyCsrf(page.session, form.csrf_token)) return sendPage(res, 403, renderExpiredFormPage());
    const values = readForm(form);
    try {
      const { token, record } = createApiToken(context, page.user, {
        name: values.name.trim(),
        expiresAt: values.expiresAt,
        scopes: values.scopes.filter(isApiTokenScope),
      });
      res.set('Cache-Control', 'no-store');
      sendPage(res, 201, renderCreatedTokenPage(page, token, record));
    } catch (error) {
      if (!(error instanceof ApiTokenInputError)) throw error;
      sendPage(res, 400, renderApiTokensPage(page, context.apiTokens.listByUser(page.user.id), values, error.fields));
    }
  });

  router.post(`${API_TOKENS_PATH}:id/revoke`, formBody, (req, res) => {
    const page = pageContext(context, req, res);
    if (!page) return;
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!context.sessions.verifyCsrf(page.session, form.csrf_token)) return sendPage(res, 403, renderExpiredFormPage());
    const revoked = context.apiTokens.revoke(page.user.id, Number(req.params.id), context.clock.now());
    sendPage(
      res,
      revoked ? 200 : 404,
      renderApiTokensPage(page, context.apiTokens.listByUser(page.user.id), EMPTY_FORM, {}, revoked ? 'The token was revoked. Anything using it stops working now.' : 'That token does not exist or was already revoked.'),
    );
  });

  return router;
}

function pageContext(context: EmulatorContext, req: Request, res: Response) {
  const signedIn = requireSignedIn(context, req, res);
  if (!signedIn) return undefined;
  const page: ApiTokenPageContext & { session: typeof signedIn.session } = {
    user: signedIn.user,
    csrfToken: signedIn.session.csrfToken,
    now: context.clock.now(),
    session: signedIn.session,
  };
  return page;
}

function readForm(form: Record<string, unknown>): ApiTokenFormValues {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const scopes = Array.isArray(form.scopes) ? form.scopes : [form.scopes];
  return {
    name: text(form.name),
    expiresAt: text(form.expires_at),
    scopes: scopes.filter((value): value is string => typeof value === 'string'),
  };
}
