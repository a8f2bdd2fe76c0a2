import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import cookieParser from 'cookie-parser';
import compression from 'compression';
import type { BffConfig } from './config.ts';
import type { Logger } from './logger.ts';
import type { Db } from './store/database.ts';
import { createRunnersStore } from './store/runners-store.ts';
import { createAuditStore } from './store/audit-store.ts';
import { createEventHub } from './events/event-hub.ts';
import { createAuthService } from './services/auth-service.ts';
import { createRunnerService } from './services/runner-service.ts';
import { createRunnerLinkServer, type RunnerLinkServer } from './runner-link/link-server.ts';
import { LinkRequestError } from './runner-link/runner-connection.ts';
import { createCookieNames } from './http/cookies.ts';
import { createCsrfProtection } from './http/csrf.ts';
import { createSessionMiddleware } from './http/session-middleware.ts';
import { createBearerAuth } from './http/bearer-auth.ts';
import { createConsoleApiTokensStore } from './store/console-api-tokens-store.ts';
import { createConsoleApiTokenService } from './services/console-api-token-service.ts';
import { createConsoleApiTokenRoutes } from './routes/console-api-token-routes.ts';
import { createSsoStore } from './store/sso-store.ts';
import { createSsoSecretBox, loadSsoSecretKey } from './services/sso-secret-box.ts';
import { createSingleSignOnService } from './services/single-sign-on-service.ts';
import { createSingleSignOnRoutes } from './routes/single-sign-on-routes.ts';
import { createErrorHandler, notFoundApi } from './http/error-handler.ts';
import { createAuthRoutes } from './routes/auth-routes.ts';
import { createRunnerRoutes } from './routes/runner-routes.ts';
import { createEventRoutes, eventsPath } from './routes/event-routes.ts';
import { createOpenApiRoutes } from './routes/openapi-routes.ts';
import { createApiDocsRoutes } from './routes/api-docs-routes.ts';
import { createScmIntegrationRoutes } from './routes/scm-integration-routes.ts';
import { createScmIntegrationsStore } from './store/scm-integrations-store.ts';
import { createScmIntegrationService } from './services/scm-integration-service.ts';
import { createRunnerConfigPush } from './services/runner-config-push.ts';
import { createConnectService } from './services/connect-service.ts';
import { createEnvironmentService } from './services/environment-service.ts';
import { createConnectRoutes } from './routes/connect-routes.ts';
import { createRunnerConnectionRoutes } from './routes/runner-connection-routes.ts';
import { createRunnerConnectionsService, type RunnerConnectionsService } from './services/runner-connections-service.ts';
import { createPendingErasuresStore } from './store/pending-erasures-store.ts';
import { createEnvironmentRoutes } from './routes/environment-routes.ts';
import { createRunnerBundle, createRunnerDownloadRoutes } from './downloads/runner-download.ts';
import { createLocalBus, type ClusterBus } from './store/cluster-bus.ts';
import { createRateLimitStore } from './store/rate-limit-store.ts';
import { createSignInThrottle } from './store/sign-in-throttle.ts';
import { createIdempotency } from './http/idempotency.ts';
import { apiRoutes, type ApiRoute } from '@runner-console/contracts';
import { createMetrics, type Metrics } from './operations/metrics.ts';
import { checkDatabaseReady } from './store/database.ts';
import { createSetupService, isSetupNeeded } from './services/setup-service.ts';
import { createMemberService } from './services/member-service.ts';
import { createOrganizationRoutes } from './routes/organization-routes.ts';

export interface BffApp {
  app: Express;
  link: RunnerLinkServer;
  hub: ReturnType<typeof createEventHub>;
  metrics: Metrics;
  /** Offboarding's `eraseMemberConnections(orgId, userId)` and Runner › Connections. */
  runnerConnections: RunnerConnectionsService;
  /**
   * `draining` is set on SIGTERM: /readyz answers 503 and every answer closes its connection.
   * `inFlight` counts requests being answered (event streams aside: they never end by themselves).
   */
  lifecycle: { draining: boolean; inFlight: number };
  close(): Promise<void>;
}

/** Build the Express app from its parts. server.ts only listens. */
/** `bus` connects this instance to the others on the same PostgreSQL database (none with SQLite). */
export function createBffApp(config: BffConfig, db: Db, log: Logger, extra: { runnerEnv?: Record<string, string>; bus?: ClusterBus; metrics?: Metrics } = {}): BffApp {
  const bus = extra.bus ?? createLocalBus();
  const metrics = extra.metrics ?? createMetrics();
  const lifecycle = { draining: false, inFlight: 0 };
  const runnersStore = createRunnersStore(db, bus);
  const audit = createAuditStore(db);
  const hub = createEventHub(bus);
  const auth = createAuthService(db, bus);
  const cookies = createCookieNames(config.secureCookies);
  const integrationsStore = createScmIntegrationsStore(db, bus);
  const configPush = createRunnerConfigPush({ store: integrationsStore, link: () => link, log });

  const link = createRunnerLinkServer({
    store: runnersStore,
    hub,
    audit,
    log,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    // What a runner may ask the BFF. Each handler checks that the flow or environment is the runner's own.
    onRunnerRequest: async (runner, method, params) => {
      if (method === 'redeemFlow') return connect.redeemFlow(runner, params);
      if (method === 'completeFlow') return connect.completeFlow(runner, params);
      if (method === 'environmentUpdate') return environments.applyRunnerUpdate(runner, params);
      throw new LinkRequestError('unknown_method', `The BFF does not know the method "${method}".`);
    },
    onConnected: (conn) => {
      void configPush.push(conn.runnerId);
      integrations.onRunnerConnected(conn.runnerId).catch((err: Error) => log.warn({ err: err.message }, 'recording callback URLs failed'));
      // Offboarding: a removed member's tokens are erased on a runner that was offline then.
      runnerConnections.deliverPending(conn.runnerId).catch((err: Error) => log.warn({ err: err.message }, 'delivering pending erasures failed'));
    },
    bus,
  });
  const runnerBundle = createRunnerBundle(config.runnerBundle);
  const runners = createRunnerService({
    store: runnersStore,
    audit,
    hub,
    link: () => link,
    startCommand: { bffUrl: config.publicUrl, extraEnv: extra.runnerEnv ?? {}, runnerSha256: () => runnerBundle.digest()?.sha256 ?? null },
    integrations: integrationsStore,
  });

  const connect = createConnectService({ db, runners, integrations: integrationsStore, hub, link: () => link, publicUrl: config.publicUrl, audit, bus, metrics });
  const environments = createEnvironmentService({ db, runners, hub, link: () => link, log });
  const consoleApiTokens = createConsoleApiTokenService({ store: createConsoleApiTokensStore(db), audit });
  const ssoKey = loadSsoSecretKey(config.ssoSecretKey, config.dataDir);
  const singleSignOn = createSingleSignOnService({ db, store: createSsoStore(db), box: createSsoSecretBox(ssoKey.key), audit, log, publicUrl: config.publicUrl });
  const integrations = createScmIntegrationService({ store: integrationsStore, runners, audit, hub, link: () => link, configPush, log });
  const runnerConnections = createRunnerConnectionsService({ db, runners, audit, pending: createPendingErasuresStore(db), link: () => link, log });

  const app = express();
  app.disable('x-powered-by');
  // API answers are Cache-Control: no-store, so an ETag (a SHA-1 of every body) is never used; the
  // dashboard's files are served by express.static, which sets its own.
  app.set('etag', false);
  // Only the configured proxy hops are believed about the client's address: trusting any loopback
  // peer let a local client reset the sign-in limit with a made-up X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Styles come from the built CSS files only; React's style props go through the CSSOM,
          // which CSP does not restrict.
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          fontSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      // The Connect popup must still be able to post back to its opener.
      crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
      strictTransportSecurity: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'same-origin' },
    }),
  );
  app.use(metrics.httpTiming);
  // While draining, no connection is kept for another request: the load balancer opens a new one,
  // to an instance that stays.
  app.use((req, res, next) => {
    if (lifecycle.draining) res.set('Connection', 'close');
    if (req.path !== eventsPath) {
      lifecycle.inFlight++;
      res.once('close', () => lifecycle.inFlight--);
    }
    next();
  });
  // Liveness: the process answers. A load balancer checks /readyz instead.
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // Readiness: the database answers, migrations are done, and this instance is not draining.
  app.get('/readyz', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (lifecycle.draining) {
      res.status(503).json({ ready: false, reason: 'draining' });
      return;
    }
    checkDatabaseReady(db)
      .then((check) => {
        if (check.ok) res.json({ ready: true });
        else res.status(503).json({ ready: false, reason: check.reason });
      })
      .catch(next);
  });

  // The rendered API reference: a page and its files, public like /api/openapi.json.
  app.use(createApiDocsRoutes());

  // Body parsing, cookies, CSRF, the session and no-store are for API calls only: the dashboard's
  // files need none of them, and no-store there would stop browsers caching them.
  const api = express.Router();
  api.use('/api', express.json({ limit: '100kb', strict: true }));
  api.use('/api', cookieParser());
  api.use('/api', createBearerAuth(consoleApiTokens));
  api.use('/api', createCsrfProtection(cookies, config.secureCookies, config.publicUrl));
  api.use('/api', createSessionMiddleware(auth, cookies));
  api.use('/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Creates that take an Idempotency-Key answer a repeat with their first answer (before the route runs).
  const idempotency = createIdempotency(db);
  for (const route of Object.values(apiRoutes) as ApiRoute[]) if (route.idempotent) api[route.method](route.path, idempotency);
  api.use(createOpenApiRoutes(config.publicUrl));
  const signInThrottle = createSignInThrottle(db);
  api.use(createAuthRoutes(auth, cookies, config.secureCookies, createRateLimitStore(db, 'sign-in'), signInThrottle));
  const members = createMemberService({ db, auth, audit, log, publicUrl: config.publicUrl,
    onMemberRemoved: (orgId, userId, removed) => runnerConnections.eraseMemberConnections(orgId, userId, removed), clearSignInPause: (email) => signInThrottle.clear(email) });
  api.use(
    createOrganizationRoutes({
      setup: createSetupService({ db, auth, audit }),
      members,
      cookies,
      secure: config.secureCookies,
      limitStore: createRateLimitStore(db, 'setup'),
      linkLimitStore: createRateLimitStore(db, 'account-link'),
      passwordChangeLimitStore: createRateLimitStore(db, 'password-change'),
    }),
  );
  api.use(createEventRoutes(hub));
  api.use(createRunnerRoutes(runners, integrations));
  api.use(createScmIntegrationRoutes(integrations));
  api.use(createConnectRoutes(connect, cookies));
  api.use(createRunnerConnectionRoutes(runnerConnections));
  api.use(createEnvironmentRoutes(environments));
  api.use(createConsoleApiTokenRoutes(consoleApiTokens));
  api.use(createSingleSignOnRoutes(singleSignOn, auth, cookies, config.secureCookies, log));
  api.use('/api', notFoundApi);
  app.use(api);
  app.use('/api', createErrorHandler(log));

  app.use(createRunnerDownloadRoutes(runnerBundle, log));
  // Once set up, /setup is gone on every instance (decided from the database): a 404, whose page
  // (the dashboard) then sends the browser on to sign-in.
  app.get('/setup', (_req, res, next) => {
    isSetupNeeded(db)
      .then((needed) => {
        if (needed) return next();
        res.status(404);
        next();
      })
      .catch(next);
  });
  serveSpa(app, config.webDist, log);
  app.use(createErrorHandler(log));

  return {
    app,
    link,
    hub,
    metrics,
    runnerConnections,
    lifecycle,
    async close() {
      await link.close();
    },
  };
}

function serveSpa(app: Express, webDist: string, log: Logger) {
  const indexFile = path.join(webDist, 'index.html');
  if (!fs.existsSync(indexFile)) {
    log.warn({ webDist }, 'the dashboard is not built; run `npm run build`');
  }
  // The dashboard's files go out compressed (brotli or gzip, as the browser accepts): about a third
  // of their size. API answers are not compressed: they are small, and the CPU is better spent
  // answering them.
  app.use(compression({ threshold: 1024 }));
  app.use('/assets', express.static(path.join(webDist, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  app.use(express.static(webDist, { index: false }));
  app.get(/^(?!\/api\/).*/, (_req, res) => {
    if (!fs.existsSync(indexFile)) {
      // A route that has already answered 404 (/setup once set up) stays a 404 without the dashboard.
      if (res.statusCode === 404) res.type('text/plain').send('Not found.');
      else res.status(503).type('text/plain').send('The dashboard is not built yet. Run `npm run build`, or start with `npm start`.');
      return;
    }
    res.set('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  });
}
