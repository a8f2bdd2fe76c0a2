import { Router, type NextFunction, type Request, type Response } from 'express';
import { apiRoutes } from '@runner-console/contracts';
import { clientIdMissingMessage, clientSecretMissingMessage, getScmProvider, isScmProviderId } from '@runner-console/scm-providers';
import { HttpError } from '../http/http-error.ts';
import type { ScmIntegrationService } from '../services/scm-integration-service.ts';
import { mountRoute } from './mount-route.ts';

export function createScmIntegrationRoutes(service: ScmIntegrationService): Router {
  const router = Router();
  mountRoute(router, apiRoutes.getRunnerConfigurationSchema, ({ user, params }) => service.configurationSchema(user, params.runnerId ?? ''));
  mountRoute(router, apiRoutes.listScmIntegrations, ({ user, params, query }) => service.listJson(user, params.runnerId ?? '', query));
  mountRoute(router, apiRoutes.createScmIntegration, ({ user, params, body }) => service.create(user, params.runnerId ?? '', body));
  router.use(apiRoutes.createScmIntegration.path, inProviderWords);
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

/**
 * The contract says "Enter the Client ID." for any provider; a body naming a provider whose form
 * calls it something else gets that provider's words ("Enter the Client ID (Bitbucket calls it Key).").
 */
function inProviderWords(err: unknown, req: Request, _res: Response, next: NextFunction): void {
  const provider: unknown = (req.body as { provider?: unknown } | undefined)?.provider;
  if (!(err instanceof HttpError) || !err.fields || typeof provider !== 'string' || !isScmProviderId(provider)) return next(err);
  const entry = getScmProvider(provider);
  const words: Record<string, string> = { 'Enter the Client ID.': clientIdMissingMessage(entry), 'Enter the Client Secret.': clientSecretMissingMessage(entry) };
  const fields = Object.fromEntries(Object.entries(err.fields).map(([field, message]) => [field, words[message] ?? message]));
  const message = Object.entries(words).reduce((text, [generic, own]) => text.replace(generic, own), err.message);
  next(new HttpError(err.status, err.code, message, fields));
}
