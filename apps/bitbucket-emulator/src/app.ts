import { mkdirSync } from 'node:fs';
import path from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pino, type Logger } from 'pino';
import { createApiRouter } from './api/api-router.ts';
import { Clock } from '@runner-console/emulator-kit';
import type { EmulatorContext } from './emulator-context.ts';
import { createGitHttp } from './git/git-http-router.ts';
import { GitReader } from '@runner-console/emulator-kit';
import { createAuthorizeRouter } from './oauth/authorize-router.ts';
import { TokenIssuer } from './oauth/token-issuer.ts';
import { createTokenRouter } from './oauth/token-router.ts';
import { ApiTokenStore } from './store/api-token-store.ts';
import { ConsumerStore } from './store/consumer-store.ts';
import { openDatabase } from './store/database.ts';
import { OAuthStore } from './store/oauth-store.ts';
import { RepositoryStore } from './store/repository-store.ts';
import { seedEmulatorData } from './store/seed.ts';
import { SessionStore } from './store/session-store.ts';
import { UserStore } from './store/user-store.ts';
import { CallStats } from './test-api/call-stats.ts';
import { FaultInjector } from '@runner-console/emulator-kit';
import { createTestApiRouter } from './test-api/test-api-router.ts';
import { createAvatarRouter } from './ui/avatar-router.ts';
import { BrowserSessions } from './ui/browser-sessions.ts';
import { createApiTokensRouter } from './ui/api-tokens-router.ts';
import { createConsumersRouter } from './ui/consumers-router.ts';
import { renderErrorPage } from './ui/error-page.ts';
import { createHomeRouter, createStylesheetRouter } from './ui/home-router.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { createSignInRouter } from './ui/sign-in-router.ts';

export interface EmulatorOptions {
  /** DATA_DIR; the emulator keeps its files in `${dataDir}/bitbucket-emulator/`. */
  dataDir: string;
  /** Origin used in links, clone URLs and redirects, such as http://localhost:8082. */
  publicUrl: string;
  logger?: Logger;
}

export interface Emulator {
  app: Express;
  /** Ends hanging requests and git processes and closes the database. Call after the HTTP server closed. */
  close(): Promise<void>;
}

/**
 * Builds the emulator: bitbucket.org's paths (/site/oauth2/*, web pages, git) and
 * api.bitbucket.org's (/2.0/*) on one origin, plus the test API under /_emulator/*.
 * Seeds the development data on first start.
 */
export function createEmulator(options: EmulatorOptions): Emulator {
  const root = path.join(path.resolve(options.dataDir), 'bitbucket-emulator');
  const reposRoot = path.join(root, 'repositories');
  mkdirSync(reposRoot, { recursive: true });
  const db = openDatabase(path.join(root, 'emulator.sqlite'));
  seedEmulatorData(db, reposRoot);

  const publicUrl = new URL(options.publicUrl).origin;
  const clock = new Clock();
  const users = new UserStore(db);
  const oauth = new OAuthStore(db);
  const context: EmulatorContext = {
    publicUrl,
    reposRoot,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    users,
    repositories: new RepositoryStore(db),
    consumers: new ConsumerStore(db),
    apiTokens: new ApiTokenStore(db),
    oauth,
    tokens: new TokenIssuer(oauth, clock),
    sessions: new BrowserSessions(
      new SessionStore(db),
      users,
      clock,
      publicUrl.startsWith('https:'),
    ),
    git: new GitReader(),
    faults: new FaultInjector(() => clock.now()),
    stats: new CallStats(),
  };
  const gitHttp = createGitHttp(context);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(createStylesheetRouter());
  app.use(createTestApiRouter(context));
  app.use(createTokenRouter(context));
  app.use(createAuthorizeRouter(context));
  app.use('/2.0', createApiRouter(context));
  app.use(gitHttp.router);
  app.use(createHomeRouter(context));
  app.use(createSignInRouter(context));
  app.use(createConsumersRouter(context));
  app.use(createApiTokensRouter(context));
  app.use(createAvatarRouter());
  app.use((_req, res) =>
    sendPage(
      res,
      404,
      renderErrorPage({
        title: 'Page not found',
        message: 'There is nothing at this address in the Bitbucket emulator.',
      }),
    ),
  );
  app.use(answerUnexpectedError(context));

  return {
    app,
    close: async () => {
      context.faults.releaseHanging();
      gitHttp.close();
      db.close();
    },
  };
}

function answerUnexpectedError(context: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendPage(
        res,
        status,
        renderErrorPage({
          title: 'Bad request',
          message: 'The request could not be read. Go back and try again.',
        }),
      );
    }
    context.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendPage(
      res,
      500,
      renderErrorPage({
        title: 'Something went wrong',
        message: 'The emulator could not answer. Try again; the log has the details.',
      }),
    );
  };
}
