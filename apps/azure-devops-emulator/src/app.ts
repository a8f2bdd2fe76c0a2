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
  type PageBrand,
} from '@runner-console/emulator-kit';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pino, type Logger } from 'pino';
import type { EmulatorContext } from './context.ts';
import { createDevOpsApiRouter } from './devops/api-router.ts';
import { errorJson } from './devops/devops-json.ts';
import { createGitHttp } from './devops/git-router.ts';
import { createDevOpsPagesRouter } from './devops/pages-router.ts';
import { createEntraRouter, ENTRA_BRAND, REFRESH_TOKEN_SECONDS } from './entra/entra-router.ts';
import { createTokenSigner } from './entra/token-signer.ts';
import { seedRepositories } from './seed.ts';
import { readStateFile, writeStateFile } from './state-file.ts';
import { EmulatorState, seedState } from './state.ts';
import { addTestRoutes } from './test-routes.ts';

export const DEVOPS_BRAND: PageBrand = { name: 'Azure DevOps', headerColor: '#0078d4' };

export interface EmulatorOptions {
  /** DATA_DIR; git repositories live in `${dataDir}/azure-devops-emulator/`. */
  dataDir: string;
  /** The Azure DevOps emulator's origin (http://localhost:8085), standing for https://dev.azure.com. */
  devopsUrl: string;
  /** The Entra ID emulator's origin (http://localhost:8086), standing for https://login.microsoftonline.com. */
  entraUrl: string;
  logger?: Logger;
}

export interface Emulators {
  devops: Express;
  entra: Express;
  close(): Promise<void>;
}

/**
 * Builds the two emulators on one shared state: Azure DevOps (REST under `_apis`, git under
 * `_git`, the profile API) and Microsoft Entra ID (discovery, JWKS, authorize, token), each with
 * the test API under /_emulator/*. Entra signs the access tokens that Azure DevOps checks.
 */
export async function createEmulators(options: EmulatorOptions): Promise<Emulators> {
  const root = path.join(path.resolve(options.dataDir), 'azure-devops-emulator');
  const reposRoot = path.join(root, 'repositories');
  mkdirSync(reposRoot, { recursive: true });
  const stateFile = path.join(root, 'state.json');
  const saved = readStateFile(stateFile);
  const state = new EmulatorState();
  seedState(state);
  seedRepositories(state, reposRoot);
  const clock = new Clock();
  const entraOrigin = new URL(options.entraUrl).origin;
  const counts = new CallCounts();
  const context: EmulatorContext = {
    devopsOrigin: new URL(options.devopsUrl).origin,
    entraOrigin,
    reposRoot,
    clock,
    logger: options.logger ?? pino({ level: 'silent' }),
    state,
    git: new GitReader(),
    faults: new FaultInjector(() => clock.now()),
    counts,
    sessions: new MemorySessions('entra_emulator_session', clock, entraOrigin.startsWith('https:')),
    codes: new AuthorizationCodes(clock),
    refreshTokens: new RotatingRefreshTokens(clock, REFRESH_TOKEN_SECONDS * 1000),
    signer: await createTokenSigner(saved?.signingKey),
  };
  saved?.restore(state, context.refreshTokens);
  const signingKey = saved?.signingKey ?? (await context.signer.exportKey());
  // Requests that change registrations, consents or tokens are POSTs (git's are left out): save after them.
  const saveAfterChanges: express.RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && !req.path.includes('/_git/')) {
      res.on('finish', () => {
        try {
          writeStateFile(stateFile, signingKey, state, context.refreshTokens);
        } catch (error) {
          context.logger.error({ err: error }, 'could not save the emulator state');
        }
      });
    }
    next();
  };
  const testApi = () =>
    createTestApiRouter({ clock, faults: context.faults, stats: () => counts.snapshot(), resetStats: () => counts.reset(), addRoutes: (router) => addTestRoutes(router, context) });

  const gitHttp = createGitHttp(context);
  const devops = express();
  devops.disable('x-powered-by');
  devops.use(saveAfterChanges);
  devops.use(createKitAssetsRouter(DEVOPS_BRAND.headerColor));
  devops.use(testApi());
  devops.use(createDevOpsApiRouter(context));
  devops.use(gitHttp.router);
  devops.use(createDevOpsPagesRouter(context, DEVOPS_BRAND));
  devops.use((req, res) => {
    if (req.path.includes('/_apis/')) return res.status(404).json(errorJson(`The resource ${req.path} was not found.`, 'NotFoundException'));
    sendPage(res, 404, renderMessagePage(DEVOPS_BRAND, 'Page not found', 'There is nothing at this address in the Azure DevOps emulator. Repositories are at /acme/widgets/_git/widgets.'));
  });
  devops.use(answerUnexpectedError(context, DEVOPS_BRAND));

  const entra = express();
  entra.disable('x-powered-by');
  entra.use(saveAfterChanges);
  entra.use(createKitAssetsRouter(ENTRA_BRAND.headerColor));
  entra.use(testApi());
  entra.use(createEntraRouter(context));
  entra.use((_req, res) => sendPage(res, 404, renderMessagePage(ENTRA_BRAND, 'Page not found', 'There is nothing at this address in the Entra ID emulator. Tenant acme: /acme/v2.0/.well-known/openid-configuration.')));
  entra.use(answerUnexpectedError(context, ENTRA_BRAND));

  return {
    devops,
    entra,
    close: async () => {
      context.faults.releaseHanging();
      gitHttp.close();
    },
  };
}

function answerUnexpectedError(context: EmulatorContext, brand: PageBrand): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return sendPage(res, status, renderMessagePage(brand, 'Bad request', 'The request could not be read.'));
    context.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    sendPage(res, 500, renderMessagePage(brand, 'Something went wrong', 'The emulator could not answer. Try again; the log has the details.'));
  };
}
