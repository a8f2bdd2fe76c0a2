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
import { createApiRouter } from './api.ts';
import type { DataCenterContext } from './context.ts';
import { createGitHttp } from './git.ts';
import { createOAuthRouter, DC_BRAND, REFRESH_TOKEN_LIFETIME_MS } from './oauth.ts';
import { createPagesRouter } from './pages.ts';
import { seedDataCenter } from './seed.ts';
import { DataCenterState, type RefreshGrant } from './state.ts';
import { loadState, saveState } from './state-file.ts';
import { addDataCenterTestRoutes } from './test-routes.ts';

export interface EmulatorOptions {
  /** DATA_DIR; the emulator keeps its git repositories and state.json in `${dataDir}/bitbucket-dc-emulator/`. */
  dataDir: string;
  /** Origin used in links, clone URLs and redirects, such as http://localhost:8087. */
  publicUrl: string;
  logger?: Logger;
}

export interface Emulator {
  app: Express;
  /** Ends hanging requests and git processes. Call after the HTTP server closed. */
  close(): Promise<void>;
}

/**
 * Builds the Bitbucket Data Center emulator: one origin, as a Data Center site has, with the web
 * pages, the OAuth 2.0 provider of incoming application links (/rest/oauth2/latest), the REST API
 * (/rest/api/1.0 and /rest/api/latest), git (/scm) and the test API (/_emulator).
 */
export function createEmulator(options: EmulatorOptions): Emulator {
  const root = path.join(path.resolve(options.dataDir), 'bitbucket-dc-emulator');
  const reposRoot = path.join(root, 'repositories');
  mkdirSync(reposRoot, { recursive: true });
  const state = new DataCenterState();
  seedDataCenter(state, reposRoot);
  const origin = new URL(options.publicUrl).origin;
  const clock = new Clock();
  const counts = new CallCounts();
  const context: DataCenterContext = {
    origin,
    reposRoot,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    state,
    git: new GitReader(),
    faults: new FaultInjector(() => clock.now()),
    counts,
    sessions: new MemorySessions('bbdc_emulator_session', clock, origin.startsWith('https:')),
    codes: new AuthorizationCodes(clock),
    refreshTokens: new RotatingRefreshTokens<RefreshGrant>(clock, REFRESH_TOKEN_LIFETIME_MS),
  };
  const stateFile = path.join(root, 'state.json');
  loadState(stateFile, state, context.refreshTokens);
  const gitHttp = createGitHttp(context);

  const app = createEmulatorApp({
    name: 'Bitbucket Data Center emulator',
    brand: DC_BRAND,
    logger: context.logger,
    testApi: {
      clock,
      faults: context.faults,
      stats: () => counts.snapshot(),
      resetStats: () => counts.reset(),
      addRoutes: (router) => addDataCenterTestRoutes(router, context),
    },
    persist: {
      // Requests that change links, consents or tokens are POSTs (git's are left out).
      changes: (req) => req.method === 'POST' && !req.path.startsWith('/scm/'),
      save: () => saveState(stateFile, state, context.refreshTokens),
    },
    routes: (app) => {
      app.use(createOAuthRouter(context));
      const api = createApiRouter(context);
      app.use('/rest/api/1.0', api);
      app.use('/rest/api/latest', api);
      app.use(gitHttp.router);
      app.use(createPagesRouter(context));
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
