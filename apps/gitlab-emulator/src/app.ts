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
import type { GitLabContext } from './context.ts';
import { createGitHttp } from './git/git-http-router.ts';
import { createHomeRouter } from './home-router.ts';
import { createProjectPagesRouter } from './project-pages.ts';
import { createAuthorizeRouter, GITLAB_BRAND } from './oauth/authorize-router.ts';
import { createTokenRouter, REFRESH_TOKEN_LIFETIME_MS } from './oauth/token-router.ts';
import { seedGitLabData } from './seed.ts';
import { GitLabState, type RefreshGrant } from './state.ts';
import { loadState, saveState } from './state-file.ts';
import { addGitLabTestRoutes } from './test-api/gitlab-test-routes.ts';

export interface EmulatorOptions {
  /** DATA_DIR; the emulator keeps its git repositories and state.json in `${dataDir}/gitlab-emulator/`. */
  dataDir: string;
  /** Origin used in API URLs, clone URLs and redirects, such as http://localhost:8084. */
  publicUrl: string;
  logger?: Logger;
}

export interface Emulator {
  app: Express;
  /** Ends hanging requests and git processes. Call after the HTTP server closed. */
  close(): Promise<void>;
}

/**
 * Builds the GitLab emulator: GitLab's web paths (`/oauth/*`, `/users/sign_in`, git at
 * `/{namespace}/{project}.git`) and the REST API under `/api/v4` on one origin, as gitlab.com and
 * a self-managed instance serve them, plus the test API under `/_emulator/*`.
 */
export function createEmulator(options: EmulatorOptions): Emulator {
  const root = path.join(path.resolve(options.dataDir), 'gitlab-emulator');
  const reposRoot = path.join(root, 'repositories');
  mkdirSync(reposRoot, { recursive: true });
  const state = new GitLabState();
  seedGitLabData(state, reposRoot);

  const web = new URL(options.publicUrl).origin;
  const clock = new Clock();
  const counts = new CallCounts();
  const refreshTokens = new RotatingRefreshTokens<RefreshGrant>(clock, REFRESH_TOKEN_LIFETIME_MS);
  const stateFile = path.join(root, 'state.json');
  loadState(stateFile, state, refreshTokens);
  const context: GitLabContext = {
    origins: { web, api: `${web}/api/v4` },
    reposRoot,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    state,
    git: new GitReader(),
    faults: new FaultInjector(() => clock.now()),
    counts,
    sessions: new MemorySessions('_gitlab_emulator_session', clock, web.startsWith('https:')),
    codes: new AuthorizationCodes(clock),
    refreshTokens,
  };
  const gitHttp = createGitHttp(context);

  const app = createEmulatorApp({
    name: 'GitLab emulator',
    brand: GITLAB_BRAND,
    logger: context.logger,
    testApi: {
      clock,
      faults: context.faults,
      stats: () => counts.snapshot(),
      resetStats: () => counts.reset(),
      addRoutes: (router) => addGitLabTestRoutes(router, context),
    },
    persist: {
      // Requests that change applications, tokens or authorizations are POSTs (git's are left out).
      changes: (req) =>
        req.method !== 'GET' && req.method !== 'HEAD' && !req.path.includes('.git/'),
      save: () => saveState(stateFile, state, refreshTokens),
    },
    routes: (app) => {
      app.use(createTokenRouter(context));
      app.use(createAuthorizeRouter(context));
      app.use('/api/v4', createApiRouter(context));
      app.use(gitHttp.router);
      app.use(createHomeRouter(context));
      app.use(createProjectPagesRouter(context));
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
