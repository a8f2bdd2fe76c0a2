import { Router } from 'express';
import { apiRoutes, StartConnectQuery } from '@runner-console/contracts';
import type { ConnectService } from '../services/connect-service.ts';
import { readCookie, type CookieNames } from '../http/cookies.ts';
import { parseBody } from '../http/parse-body.ts';
import { mountRoute } from './mount-route.ts';
import {
  connectResultScript,
  connectResultScriptPath,
  connectResultStyles,
  connectResultStylesPath,
  renderConnectNotice,
  renderConnectResult,
} from './connect-notice-page.ts';
import { HttpError } from '../http/http-error.ts';
import { toConnectFlow } from '../services/connect-service.ts';

export function createConnectRoutes(connect: ConnectService, cookies: CookieNames): Router {
  const router = Router();
  mountRoute(router, apiRoutes.checkAuthentication, ({ user, params, body }) => connect.checkAuthentication(user, params.runnerId ?? '', body.host));

  mountRoute(router, apiRoutes.connectApiToken, ({ user, params, body }) => connect.connectApiToken(user, params.runnerId ?? '', body));

  // A browser navigation (popup or same tab): answer with a redirect or a small page, never JSON.
  mountRoute(router, apiRoutes.startConnect, async ({ user, req, res }) => {
    const query = parseBody(StartConnectQuery, req.query);
    const { flow, redirectTo } = await connect.startConnect(user, query, readCookie(req, cookies.csrf));
    if (redirectTo) return void res.redirect(302, redirectTo);
    if (flow.mode === 'tab') return void res.redirect(302, connect.returnUrlOf(flow));
    res.status(200).type('html').send(renderConnectNotice(flow.message ?? 'Connect could not start.'));
  });

  // Where the runner sends the browser after the provider: the token is stored only for the flow's
  // own user. A popup gets a page that posts the result to its opener; a same tab goes back.
  mountRoute(router, apiRoutes.finishConnect, async ({ user, req, res }) => {
    // The popup came here from the runner's origin: without unsafe-none, the browser would put it in
    // a new browsing context group and its opener (the dashboard) would be lost.
    res.set('Cross-Origin-Opener-Policy', 'unsafe-none');
    let result;
    try {
      result = await connect.finishConnect(user, req.query);
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      res.status(err.status).type('html').send(renderConnectNotice(err.message, 'Not connected'));
      return;
    }
    const { flow, httpStatus } = result;
    if (flow.mode === 'tab' && httpStatus !== 403) return void res.redirect(302, connect.returnUrlOf(flow));
    const view = toConnectFlow(flow);
    res
      .status(httpStatus)
      .type('html')
      .send(
        renderConnectResult(
          { type: 'runner-console:connect-result', flowId: view.id, status: view.status === 'connected' ? 'connected' : 'failed', failureCode: view.failureCode, message: view.message ?? 'Connect did not finish. Click Connect again.', accountName: view.accountName },
          connect.dashboardOrigin,
        ),
      );
  });
  router.get(connectResultScriptPath, (_req, res) => void res.type('text/javascript').send(connectResultScript));
  router.get(connectResultStylesPath, (_req, res) => void res.type('text/css').send(connectResultStyles));

  mountRoute(router, apiRoutes.getConnectFlow, ({ user, params }) => connect.getFlow(user, params.flowId ?? ''));
  mountRoute(router, apiRoutes.listGitAuthentications, ({ user }) => connect.listGitAuthentications(user));
  mountRoute(router, apiRoutes.deleteGitAuthentication, ({ user, params }) =>
    connect.deleteGitAuthentication(user, params.runnerId ?? '', params.tokenId ?? ''),
  );
  return router;
}
