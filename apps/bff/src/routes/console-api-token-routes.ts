import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { ConsoleApiTokenService } from '../services/console-api-token-service.ts';
import { mountRoute } from './mount-route.ts';

export function createConsoleApiTokenRoutes(tokens: ConsoleApiTokenService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.listConsoleApiTokens, ({ user }) => tokens.list(user));
  mountRoute(router, apiRoutes.createConsoleApiToken, ({ user, body }) => tokens.create(user, body));
  mountRoute(router, apiRoutes.revokeConsoleApiToken, ({ user, params }) => tokens.revoke(user, params.consoleApiTokenId ?? ''));
  return router;
}
