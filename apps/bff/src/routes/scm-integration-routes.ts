import { Router } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import type { ScmIntegrationService } from '../services/scm-integration-service.ts';
import { mountRoute } from './mount-route.ts';

export function createScmIntegrationRoutes(service: ScmIntegrationService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.getRunnerConfigurationSchema, ({ user, params }) => service.configurationSchema(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.listScmIntegrations, ({ user, params, query }) => service.listJson(user, params.runnerId ?? '', query));
  mountRoute(router, apiRoutes.createScmIntegration, ({ user, params, body }) => service.create(user, params.runnerId ?? '', body));
  mountRoute(router, apiRoutes.updateScmIntegration, ({ user, params, body }) =>
    service.update(user, params.runnerId ?? '', params.integrationId ?? '', body),
  );
  mountRoute(router, apiRoutes.deleteScmIntegration, ({ user, params }) => service.remove(user, params.runnerId ?? '', params.integrationId ?? ''));
  mountRoute(router, apiRoutes.countApiTokenConnections, ({ user, params }) =>
    service.countApiTokenConnections(user, params.runnerId ?? '', params.integrationId ?? ''),
  );
  mountRoute(router, apiRoutes.validateScmIntegration, ({ user, params }) => service.validate(user, params.runnerId ?? '', params.integrationId ?? ''));
  mountRoute(router, apiRoutes.getRunnerAuditLog, ({ user, params, query }) => service.auditLog(user, params.runnerId ?? '', query));
  return router;
}
