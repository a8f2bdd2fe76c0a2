import { Router } from 'express';
import { z } from 'zod';
import { ApiError, apiRoutes, type ApiRoute } from '@runner-console/contracts';

export const openApiPath = '/api/openapi.json';

/** OpenAPI 3.1, generated from the contract's route table and zod schemas (zod's own JSON Schema output). */
export function buildOpenApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = z.toJSONSchema(ApiError, { io: 'output' });
  for (const [name, route] of Object.entries(apiRoutes) as [string, ApiRoute][]) {
    const oaPath = route.path.replace(/:(\w+)/g, '{$1}');
    const params: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.query) {
      const query = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(query.properties ?? {})) params.push({ name, in: 'query', required: false, schema });
    }
    const responses: Record<string, unknown> = route.noContent
      ? { '204': { description: 'Done' } }
      : route.redirect
        ? { '302': { description: 'Redirect to the next step' } }
      : { '200': { description: 'OK', content: { 'application/json': { schema: route.response ? z.toJSONSchema(route.response, { io: 'output', unrepresentable: 'any' }) : {} } } } };
    responses.default = { description: 'Error', content: { 'application/json': { schema: errorSchema } } };
    (paths[oaPath] ??= {})[route.method] = {
      operationId: name,
      summary: route.summary,
      'x-access': route.access,
      ...(params.length ? { parameters: params } : {}),
      ...(route.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.request, { io: 'input', unrepresentable: 'any' }) } } } }
        : {}),
      responses,
      ...(route.access === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Runner Console API', version: '0.1.0', description: 'Generated from packages/contracts. Non-GET requests need the x-csrf-token header (double-submit of the rc_csrf cookie).' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rc_session' } } },
    security: [{ session: [] }],
    paths,
  };
}

export function createOpenApiRoutes(serverUrl: string): Router {
  const router = Router();
  const doc = buildOpenApiDocument(serverUrl);
  router.get(openApiPath, (_req, res) => {
    res.json(doc);
  });
  return router;
}
