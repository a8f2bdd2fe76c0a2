import { Router, type ErrorRequestHandler } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { sendApiError } from './api-error.ts';
import { ApiLinks } from './api-links.ts';
import { authenticateApiRequest } from './api-principal.ts';
import { BranchQueryError } from './branch-query.ts';
import { PagingError } from './paginate.ts';
import { addRepositoryRoutes } from './repository-routes.ts';
import { addUserRoutes } from './user-routes.ts';

/** The REST API 2.0 (api.bitbucket.org/2.0), mounted at `/2.0`. */
export function createApiRouter(context: EmulatorContext): Router {
  const router = Router();
  const links = new ApiLinks(context.publicUrl);
  router.use(
    context.faults.middleware(
      'api',
      (res) => sendApiError(res, 500, 'Something went wrong. Try again in a moment.'),
      // Bitbucket Cloud answers a rate limit with 429 (the kit's knob; status 403 is GitHub's).
      (res, limit) => {
        res.set('Retry-After', String(limit.retryAfterSeconds));
        sendApiError(res, limit.status, 'Rate limit for this resource has been exceeded');
      },
    ),
  );
  router.use((_req, _res, next) => {
    context.stats.countApi();
    next();
  });
  router.use(authenticateApiRequest(context));
  addUserRoutes(router, context, links);
  addRepositoryRoutes(router, context, links);
  router.use((req, res) => sendApiError(res, 404, `Resource not found: ${req.path}`));
  router.use(answerApiError(context));
  return router;
}

function answerApiError(context: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof PagingError || error instanceof BranchQueryError)
      return sendApiError(res, 400, error.message);
    context.logger.error({ err: error, path: req.path }, 'API request failed');
    sendApiError(res, 500, 'Something went wrong. Try again in a moment.');
  };
}
