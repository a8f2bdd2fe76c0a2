import { Router } from 'express';
import { apiRoutes, StartConnectQuery } from '@runner-console/contracts';
import type { ConnectService } from '../services/connect-service.ts';
import { readCookie, type CookieNames } from '../http/cookies.ts';
import { parseBody } from '../http/parse-body.ts';
import { mountRoute } from './mount-route.ts';
import { renderConnectNotice } from './connect-notice-page.ts';

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

  mountRoute(router, apiRoutes.getConnectFlow, ({ user, params }) => connect.getFlow(user, params.flowId ?? ''));
  mountRoute(router, apiRoutes.listGitAuthentications, ({ user }) => connect.listGitAuthentications(user));
  mountRoute(router, apiRoutes.deleteGitAuthentication, ({ user, params }) =>
    connect.deleteGitAuthentication(user, params.runnerId ?? '', params.tokenId ?? ''),
  );
  return router;
}
