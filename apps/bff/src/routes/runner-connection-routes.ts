import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { RunnerConnectionsService } from '../services/runner-connections-service.ts';
import { mountRoute } from './mount-route.ts';

/** Runner › Connections (admins): every developer's connection on a runner, and revoking one. */
export function createRunnerConnectionRoutes(connections: RunnerConnectionsService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.listRunnerConnections, ({ user, params }) => connections.list(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.revokeRunnerConnection, ({ user, params }) => connections.revoke(user, params.runnerId ?? '', params.tokenId ?? ''));
  return router;
}
