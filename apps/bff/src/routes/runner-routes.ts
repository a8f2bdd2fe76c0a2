import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { RunnerService } from '../services/runner-service.ts';
import type { ScmIntegrationService } from '../services/scm-integration-service.ts';
import { mountRoute } from './mount-route.ts';

export function createRunnerRoutes(runners: RunnerService, integrations: ScmIntegrationService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.listRunners, ({ user, query }) => runners.list(user, query));
  mountRoute(router, apiRoutes.createRunner, async ({ user, body }) => runners.create(user, body));
  // Before getRunner: its :runnerId would match "suggested-public-url".
  mountRoute(router, apiRoutes.suggestRunnerPublicUrl, async () => runners.suggestPublicUrl());
  mountRoute(router, apiRoutes.getRunner, async ({ user, params }) => runners.get(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.updateRunner, async ({ user, params, body }) => runners.update(user, params.runnerId ?? '', body));
  mountRoute(router, apiRoutes.getRunnerDeletionImpact, async ({ user, params }) => runners.deletionImpact(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.deleteRunner, async ({ user, params }) => runners.remove(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.newRunnerToken, async ({ user, params }) => runners.newToken(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.rotateRunnerKey, async ({ user, params }) =>
    runners.rotateKey(user, params.runnerId ?? '', (runnerId) => integrations.flagSecretsForReentry(user, runnerId)),
  );
  mountRoute(router, apiRoutes.acceptRunnerKey, async ({ user, params, body }) =>
    runners.acceptKey(user, params.runnerId ?? '', body, (runnerId) => integrations.flagSecretsForReentry(user, runnerId, 'accepted')),
  );
  mountRoute(router, apiRoutes.pingRunner, async ({ user, params }) => runners.ping(user, params.runnerId ?? ''));
  return router;
}
