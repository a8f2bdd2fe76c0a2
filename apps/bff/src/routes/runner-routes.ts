import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { RunnerService } from '../services/runner-service.ts';
import type { ScmIntegrationService } from '../services/scm-integration-service.ts';
import { mountRoute } from './mount-route.ts';

export function createRunnerRoutes(runners: RunnerService, integrations: ScmIntegrationService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.listRunners, ({ user, query }) => runners.list(user, query));
  mountRoute(router, apiRoutes.createRunner, async ({ user, body }) => runners.create(user, body.name));
  mountRoute(router, apiRoutes.getRunner, async ({ user, params }) => runners.get(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.rotateRunnerKey, async ({ user, params }) =>
    runners.rotateKey(user, params.runnerId ?? '', (runnerId) => integrations.flagSecretsForReentry(user, runnerId)),
  );
  mountRoute(router, apiRoutes.pingRunner, async ({ user, params }) => runners.ping(user, params.runnerId ?? ''));
  return router;
}
