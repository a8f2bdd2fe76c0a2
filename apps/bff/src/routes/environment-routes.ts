import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { EnvironmentService } from '../services/environment-service.ts';
import { mountRoute } from './mount-route.ts';

export function createEnvironmentRoutes(environments: EnvironmentService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.listEnvironments, ({ user, query }) => environments.list(user, query));
  mountRoute(router, apiRoutes.createEnvironment, ({ user, body }) => environments.create(user, body));
  mountRoute(router, apiRoutes.getEnvironment, ({ user, params }) => environments.get(user, params.environmentId ?? ''));
  mountRoute(router, apiRoutes.deleteEnvironment, ({ user, params }) => environments.remove(user, params.environmentId ?? ''));
  return router;
}
