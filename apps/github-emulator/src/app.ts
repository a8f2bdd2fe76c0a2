import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  AuthorizationCodes,
  CallCounts,
  Clock,
  createKitAssetsRouter,
  createTestApiRouter,
  FaultInjector,
  GitReader,
  MemorySessions,
  renderMessagePage,
  RotatingRefreshTokens,
  sendPage,
} from '@runner-console/emulator-kit';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pino, type Logger } from 'pino';
import { createApiRouter } from './api/api-router.ts';
import type { GitHubContext } from './context.ts';
import { createGitHttp } from './git/git-http-router.ts';
import { APP_REFRESH_TOKEN_LIFETIME_SECONDS, createAccessTokenRouter } from './oauth/access-token-router.ts';
import { createAuthorizeRouter, GITHUB_BRAND } from './oauth/authorize-router.ts';
import { seedGitHubData } from './seed.ts';
import { GitHubState, type AppRefreshGrant } from './state.ts';
import { loadState, saveState } from './state-file.ts';
import { addGitHubTestRoutes } from './test-api/github-test-routes.ts';
import { createHomeRouter } from './ui/home-router.ts';
import { createInstallRouter } from './ui/install-router.ts';

export interface EmulatorOptions {
  /** DATA_DIR; the emulator keeps its git repositories and state.json in `${dataDir}/github-emulator/`. */
  dataDir: string;
  /** Origin used in API URLs, clone URLs and redirects, such as http://localhost:8083. */
  publicUrl: string;
  logger?: Logger;
}

export interface Emulator {
  app: Express;
  /** Ends hanging requests and git processes. Call after the HTTP server closed. */
  close(): Promise<void>;
}

/**
 * Builds the GitHub emulator: github.com's web paths (/login/oauth/*, sign-in and consent, git)
 * and the REST API under /api/v3 (as GitHub Enterprise Server serves it) on one origin, plus the
 * test API under /_emulator/*.
 */
export function createEmulator(options: EmulatorOptions): Emulator {
  const root = path.join(path.resolve(options.dataDir), 'github-emulator');
  const reposRoot = path.join(root, 'repositories');
  mkdirSync(reposRoot, { recursive: true });
  const state = new GitHubState();
  seedGitHubData(state, reposRoot);

  const web = new URL(options.publicUrl).origin;
  const clock = new Clock();
  const counts = new CallCounts();
  const refreshTokens = new RotatingRefreshTokens<AppRefreshGrant>(clock, APP_REFRESH_TOKEN_LIFETIME_SECONDS * 1000, 'ghr_');
  const stateFile = path.join(root, 'state.json');
  loadState(stateFile, state, refreshTokens);
  const context: GitHubContext = {
    origins: { web, api: `${web}/api/v3` },
    reposRoot,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    state,
    git: new GitReader(),
    faults: new FaultInjector(() => clock.now()),
    counts,
    sessions: new MemorySessions('gh_emulator_session', clock, web.startsWith('https:')),
    codes: new AuthorizationCodes(clock),
    refreshTokens,
  };
  const gitHttp = createGitHttp(context);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Requests that change apps, tokens or grants are POST or DELETE (git's are left out): save after them.
  app.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && !req.path.includes('.git/')) {
      res.on('finish', () => {
        try {
          saveState(stateFile, state, refreshTokens);
        } catch (error) {
          context.logger.error({ err: error }, 'could not save the emulator state');
        }
      });
    }
    next();
  });
  app.use(createKitAssetsRouter(GITHUB_BRAND.headerColor));
  app.use(
    createTestApiRouter({
      clock,
      faults: context.faults,
      stats: () => counts.snapshot(),
      resetStats: () => counts.reset(),
      addRoutes: (router) => addGitHubTestRoutes(router, context),
    }),
  );
  app.use(createAccessTokenRouter(context));
  app.use(createAuthorizeRouter(context));
  app.use('/api/v3', createApiRouter(context));
  app.use(gitHttp.router);
  app.use(createHomeRouter(context));
  app.use(createInstallRouter(context));
  app.use((_req, res) =>
    sendPage(res, 404, renderMessagePage(GITHUB_BRAND, 'Page not found', 'There is nothing at this address in the GitHub emulator.')),
  );
  app.use(answerUnexpectedError(context));

  return {
    app,
    close: async () => {
      context.faults.releaseHanging();
      gitHttp.close();
    },
  };
}

function answerUnexpectedError(context: GitHubContext): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendPage(res, status, renderMessagePage(GITHUB_BRAND, 'Bad request', 'The request could not be read. Go back and try again.'));
    }
    context.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendPage(res, 500, renderMessagePage(GITHUB_BRAND, 'Something went wrong', 'The emulator could not answer. Try again; the log has the details.'));
  };
}
