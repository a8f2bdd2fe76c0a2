import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { ConsumerInputError, createConsumer } from '../oauth/create-consumer.ts';
import type { Session } from '../store/session-store.ts';
import {
  consumersPath,
  EMPTY_CONSUMER_FORM,
  renderConsumerDetailsPage,
  renderConsumerFormPage,
  renderConsumerListPage,
  type ConsumerFormValues,
  type WorkspacePageContext,
} from './consumer-pages.ts';
import { renderErrorPage, renderExpiredFormPage } from './error-page.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { requireSignedIn } from './signed-in-user.ts';

const formBody = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
const BASE = '/:workspace/workspace/settings';

/**
 * Workspace settings › OAuth consumers, for the workspace's owners. Others get a 404, as
 * Bitbucket hides settings of workspaces one cannot administer.
 */
export function createConsumersRouter(context: EmulatorContext): Router {
  const router = Router();

  // Bitbucket lists OAuth consumers on the workspace's "API" settings page.
  router.get(`${BASE}/api`, (req, res) =>
    res.redirect(302, `/${req.params.workspace}/workspace/settings/oauth-consumers`),
  );

  router.get(`${BASE}/oauth-consumers`, (req, res) => {
    const page = workspacePage(context, req, res);
    if (!page) return;
    sendPage(
      res,
      200,
      renderConsumerListPage(page, context.consumers.listByWorkspace(page.workspace.id)),
    );
  });

  router.get(`${BASE}/oauth-consumers/new`, (req, res) => {
    const page = workspacePage(context, req, res);
    if (!page) return;
    sendPage(res, 200, renderConsumerFormPage(page, EMPTY_CONSUMER_FORM));
  });

  router.post(`${BASE}/oauth-consumers/new`, formBody, (req, res) => {
    const page = workspacePage(context, req, res);
    if (!page) return;
    const form = (req.body ?? {}) as Record<string, unknown>;
    if (!context.sessions.verifyCsrf(page.session, form.csrf_token))
      return sendPage(res, 403, renderExpiredFormPage());
    const values = readConsumerForm(form);
    try {
      const consumer = createConsumer(context, page.workspace, page.user, {
        name: values.name,
        description: values.description,
        callbackUrl: values.callbackUrl,
        url: values.url,
        permissions: values.permissions,
        private: values.isPrivate,
      });
      res.redirect(302, `${consumersPath(page.workspace)}/${consumer.key}`);
    } catch (error) {
      if (!(error instanceof ConsumerInputError)) throw error;
      sendPage(res, 400, renderConsumerFormPage(page, values, error.fields));
    }
  });

  router.get(`${BASE}/oauth-consumers/:key`, (req, res) => {
    const page = workspacePage(context, req, res);
    if (!page) return;
    const consumer = context.consumers.findByKey(req.params.key);
    if (!consumer || consumer.workspaceId !== page.workspace.id) return sendNotFound(res, page);
    sendPage(res, 200, renderConsumerDetailsPage(page, consumer));
  });

  return router;
}

type WorkspacePage = WorkspacePageContext & { session: Session };

/** The workspace of the URL if the signed-in user owns it; otherwise answers (redirect or 404). */
function workspacePage(
  context: EmulatorContext,
  req: Request,
  res: Response,
): WorkspacePage | undefined {
  const signedIn = requireSignedIn(context, req, res);
  if (!signedIn) return undefined;
  const workspace = context.repositories.findWorkspace(String(req.params.workspace));
  if (!workspace || !context.repositories.isWorkspaceOwner(workspace.id, signedIn.user.id)) {
    sendNotFound(res, { user: signedIn.user, csrfToken: signedIn.session.csrfToken });
    return undefined;
  }
  return {
    workspace,
    user: signedIn.user,
    csrfToken: signedIn.session.csrfToken,
    session: signedIn.session,
  };
}

function sendNotFound(res: Response, page: Pick<WorkspacePageContext, 'user' | 'csrfToken'>): void {
  sendPage(
    res,
    404,
    renderErrorPage({
      title: 'Page not found',
      message:
        'This page does not exist, or you do not administer this workspace. Check the address, or log in as its owner.',
      user: page.user,
      csrfToken: page.csrfToken,
    }),
  );
}

function readConsumerForm(form: Record<string, unknown>): ConsumerFormValues {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const permissions = Array.isArray(form.permissions) ? form.permissions : [form.permissions];
  return {
    name: text(form.name),
    description: text(form.description),
    callbackUrl: text(form.callback_url),
    url: text(form.url),
    isPrivate: form.is_private === 'on',
    permissions: permissions.filter((value): value is string => typeof value === 'string'),
  };
}
