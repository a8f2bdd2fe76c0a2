import express, { type Express, type Request } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import type { Logger } from '../logger.ts';
import { ConnectError, type ConnectFlows } from '../oauth/connect-flows.ts';
import { connectResultScript, connectResultStyles, renderConnectResultPage } from './connect-result-page.ts';

/**
 * The runner's public HTTP side: what browsers reach. Health, and Connect's start and callback.
 * The opener link must survive the trip to Bitbucket and back, so COOP stays unsafe-none here.
 */
export function createPublicApp(deps: { flows?: ConnectFlows; publicUrl: () => string; log: Logger }): Express {
  const app = express();
  app.disable('x-powered-by');
  // HTTPS-only headers only when the runner is really served over https: over plain http (local
  // development) upgrade-insecure-requests would send the callback page's script to https.
  const secure = deps.publicUrl().startsWith('https://');
  app.use(
    helmet({
      crossOriginOpenerPolicy: { policy: 'unsafe-none' },
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: secure ? [] : null,
        },
      },
      strictTransportSecurity: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(cookieParser());
  app.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/oauth/connect-result.js', (_req, res) => {
    res.type('text/javascript').send(connectResultScript);
  });
  app.get('/oauth/connect-result.css', (_req, res) => {
    res.type('text/css').send(connectResultStyles);
  });

  const flows = deps.flows;
  if (!flows) return app;

  app.get('/oauth/start', async (req, res) => {
    const flowId = String(req.query.flow ?? '');
    const redeem = String(req.query.redeem ?? '');
    try {
      if (!/^[0-9a-f-]{36}$/.test(flowId) || redeem.length < 10 || redeem.length > 200) {
        throw new ConnectError('flow_invalid', 'This sign-in link is incomplete. Close this window and click Connect again.');
      }
      const { redirectTo, cookie } = await flows.start(flowId, redeem);
      res.cookie(cookie.name, cookie.value, { httpOnly: true, sameSite: 'lax', secure: cookie.secure, path: '/oauth', maxAge: cookie.maxAgeMs });
      res.redirect(302, redirectTo);
    } catch (err) {
      const e = err instanceof ConnectError ? err : new ConnectError('provider_error', 'Connect could not start. Close this window and try again.');
      if (!(err instanceof ConnectError)) deps.log.error({ err }, 'connect start failed');
      res.status(400).type('html').send(
        renderConnectResultPage({ flowId, status: 'failed', failureCode: e.failureCode, message: e.message, accountName: null, dashboardOrigin: null, returnUrl: null, mode: 'popup' }),
      );
    }
  });

  app.get('/oauth/callback', async (req: Request, res) => {
    const url = new URL(req.originalUrl, deps.publicUrl());
    const outcome = await flows.callback(url, req.cookies as Record<string, string | undefined>);
    for (const name of Object.keys(req.cookies ?? {})) {
      if (outcome.flowId && name.endsWith(outcome.flowId.slice(0, 8))) res.clearCookie(name, { path: '/oauth' });
    }
    // Exchanged: on to the dashboard, which stores the token only for the flow's own user.
    if (outcome.confirmUrl) return res.redirect(302, outcome.confirmUrl);
    if (outcome.mode === 'tab' && outcome.returnUrl) return res.redirect(302, outcome.returnUrl);
    res.status(outcome.status === 'connected' ? 200 : 400).type('html').send(renderConnectResultPage(outcome));
  });

  return app;
}
