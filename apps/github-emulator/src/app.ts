import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  AuthorizationCodes,
  CallCounts,
  Clock,
  createEmulatorApp,
  FaultInjector,
  GitReader,
  MemorySessions,
  RotatingRefreshTokens,
} from '@runner-console/emulator-kit';
import type { Express } from 'express';
import { pino, type Logger } from 'pino';
import { createApiRouter } from './api/api-router.ts';
import type { GitHubContext } from './context.ts';
import { createGitHttp } from './git/git-http-router.ts';
import {
  APP_REFRESH_TOKEN_LIFETIME_SECONDS,
  createAccessTokenRouter,
} from './oauth/access-token-router.ts';
import { createAuthorizeRouter, GITHUB_BRAND } from './oauth/authorize-router.ts';
import { seedGitHubData } from './seed.ts';
import { GitHubState, type AppRefreshGrant } from './state.ts';
import { loadState, saveState } from './state-file.ts';
import { addGitHubTestRoutes } from './test-api/github-test-routes.ts';
import { createHomeRouter } from './ui/home-router.ts';
import { createInstallRouter } from './ui/install-router.ts';
import { createRepositoryPagesRouter } from './ui/repository-pages.ts';

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
  const refreshTokens = new RotatingRefreshTokens<AppRefreshGrant>(
    clock,
    APP_REFRESH_TOKEN_LIFETIME_SECONDS * 1000,
    'ghr_',
  );
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

  const app = createEmulatorApp({
    name: 'GitHub emulator',
    brand: GITHUB_BRAND,
    logger: context.logger,
    testApi: {
      clock,
      faults: context.faults,
      stats: () => counts.snapshot(),
      resetStats: () => counts.reset(),
      addRoutes: (router) => addGitHubTestRoutes(router, context),
    },
    persist: {
      // Requests that change apps, tokens or grants are POST or DELETE (git's are left out).
      changes: (req) =>
        req.method !== 'GET' && req.method !== 'HEAD' && !req.path.includes('.git/'),
      save: () => saveState(stateFile, state, refreshTokens),
    },
    routes: (app) => {
      app.use(createAccessTokenRouter(context));
      app.use(createAuthorizeRouter(context));
      app.use('/api/v3', createApiRouter(context));
      app.use(gitHttp.router);
      app.use(createHomeRouter(context));
      app.use(createInstallRouter(context));
      app.use(createRepositoryPagesRouter(context));
    },
  });

  return {
    app,
    close: async () => {
      context.faults.releaseHanging();
      gitHttp.close();
    },
  };
}
