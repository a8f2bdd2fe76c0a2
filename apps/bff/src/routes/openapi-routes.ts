import { Router } from 'express';
import { z } from 'zod';
import { ApiError, apiRouteDocs, apiRoutes, type ApiErrorCode, type ApiRoute, type ApiRouteName } from '@runner-console/contracts';

export const openApiPath = '/api/openapi.json';

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 504;

// The code each status most often carries, for the example body; the description lists the cases.
const exampleCodes: Record<ErrorStatus, { code: ApiErrorCode; message: string }> = {
  400: { code: 'validation_failed', message: 'Enter the Client ID.' },
  401: { code: 'unauthenticated', message: 'Sign in to continue.' },
  403: { code: 'forbidden', message: 'Only organization admins can do this.' },
  404: { code: 'not_found', message: 'This runner was not found.' },
  409: { code: 'conflict', message: 'This runner already has an integration for that host. Edit that one instead.' },
  413: { code: 'payload_too_large', message: 'The request body is larger than 100 KB.' },
  422: { code: 'idempotency_key_reused', message: 'This Idempotency-Key was already used for another request. Send a new key for a new request.' },
  415: { code: 'validation_failed', message: 'Send the body as JSON, with Content-Type: application/json.' },
  429: { code: 'rate_limited', message: 'Too many failed sign-in attempts for this account, so password sign-in is paused. Try again in 2 minutes.' },
  502: { code: 'runner_offline', message: 'The runner is offline. Start it (or check its network) and try again.' },
  504: { code: 'runner_timeout', message: 'The runner did not answer in time. Check that it is running and try again.' },
};

/** The errors any route of this shape can answer, before its own (ApiRouteDoc.errors). */
function commonErrors(route: ApiRoute): Partial<Record<ErrorStatus, string>> {
  const errors: Partial<Record<ErrorStatus, string>> = {};
  const forbidden: string[] = [];
  if (route.access !== 'public') errors[401] = 'Not signed in, or the session expired; or the API token is unknown, revoked or expired (`unauthenticated`).';
  if (route.access === 'admin') forbidden.push('the caller is not an admin of the organization (`forbidden`)');
  if (route.method !== 'get') forbidden.push('with a session cookie, the CSRF check failed: send `x-csrf-token` equal to the `rc_csrf` cookie, from this origin (`csrf_failed`); API token requests need no CSRF header');
  if (forbidden.length) errors[403] = `${forbidden.join('; or ')}.`.replace(/^./, (c) => c.toUpperCase());
  if (route.request || route.query) errors[400] = 'The body or query failed validation (`validation_failed`); `error.fields` names each field with its message.';
  if (route.request) errors[413] = 'The body is larger than 100 KB (`payload_too_large`).';
  if (route.request) errors[415] = 'The body is not sent as JSON: send it with `Content-Type: application/json` (`validation_failed`).';
  if (route.idempotent) {
    errors[409] = 'A request with the same `Idempotency-Key` is still running after 30 seconds, or it failed: try again (`conflict`).';
    errors[422] = 'The `Idempotency-Key` was already used with another request (`idempotency_key_reused`).';
  }
  if (/:\w+/.test(route.path)) errors[404] = 'No such id, or it belongs to another organization (`not_found`): other organizations\' ids are never confirmed.';
  return errors;
}

function successResponse(route: ApiRoute): Record<string, unknown> {
  if (route.noContent) return { '204': { description: 'Done; no body.' } };
  if (route.redirect) return { '302': { description: 'Redirect to the next step (Location header).' } };
  const content = { 'application/json': { schema: route.response ? z.toJSONSchema(route.response, { io: 'output', unrepresentable: 'any' }) : {} } };
  return route.created ? { '201': { description: 'Created.', content } } : { '200': { description: 'OK.', content } };
}

/** OpenAPI 3.1, generated from the contract's route table and zod schemas (zod's own JSON Schema output). */
export function buildOpenApiDocument(serverUrl: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const errorSchema = z.toJSONSchema(ApiError, { io: 'output' });
  for (const [name, route] of Object.entries(apiRoutes) as [ApiRouteName, ApiRoute][]) {
    const docs = apiRouteDocs[name];
    const oaPath = route.path.replace(/:(\w+)/g, '{$1}');
    const params: unknown[] = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    if (route.idempotent) {
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'A random value (16–255 printable characters, such as a UUID), one per user intent. A repeat with the same key gets the first answer (with `Idempotent-Replayed: true`) for 24 hours, on any instance, instead of a second create. See the IETF draft "The Idempotency-Key HTTP Header Field".',
        schema: { type: 'string', minLength: 16, maxLength: 255 },
      });
    }
    if (route.query) {
      const query = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, unknown> };
      for (const [name, schema] of Object.entries(query.properties ?? {})) params.push({ name, in: 'query', required: false, schema });
    }
    const responses: Record<string, unknown> = successResponse(route);
    const common = commonErrors(route);
    const errors = { ...common, ...docs.errors } as Partial<Record<ErrorStatus, string>>;
    // A create's own conflict (a duplicate name) and the Idempotency-Key's are both documented.
    if (common[409] && docs.errors?.[409]) errors[409] = `${docs.errors[409]} Or: ${common[409].replace(/^./, (c) => c.toLowerCase())}`;
    for (const status of (Object.keys(errors).map(Number) as ErrorStatus[]).sort((a, b) => a - b)) {
      responses[String(status)] = {
        description: errors[status],
        content: { 'application/json': { schema: errorSchema, example: { error: exampleCodes[status] } } },
      };
    }
    (paths[oaPath] ??= {})[route.method] = {
      operationId: name,
      summary: docs.summary,
      description: docs.description,
      'x-access': route.access,
      ...(params.length ? { parameters: params } : {}),
      ...(route.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.request, { io: 'input', unrepresentable: 'any' }) } } } }
        : {}),
      responses,
      // Every route takes a session cookie or an API token; a public one works without either (`{}`).
      security: route.access === 'public' ? [{}, { session: [] }, { apiToken: [] }] : [{ session: [] }, { apiToken: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Runner Console API',
      version: '0.1.0',
      description: [
        'The API the Runner Console dashboard uses, generated from `packages/contracts`.',
        '',
        '- **Sessions.** Sign in with `POST /api/auth/sign-in`; the session is the `rc_session` cookie.',
        '- **API tokens.** Automation (CI, Terraform) sends `Authorization: Bearer rcat_…` instead, with a token an admin makes in Settings › API tokens. It acts with the current role of the admin who made it. A request with a bearer token ignores any session cookie and needs no CSRF header.',
        '- **CSRF.** With a session cookie, every request that is not a GET sends the `x-csrf-token` header with the value of the `rc_csrf` cookie (set by `GET /api/auth/session`).',
        '- **Access.** `x-access` on each operation: `public`, `member` (any signed-in user) or `admin` (an organization admin).',
        '- **Errors.** Every error is `{ "error": { "code", "message", "fields"? } }`; `message` says what to do next and `fields` maps a field to its message.',
        '- **Secrets.** Client secrets are sent sealed to the runner\'s key (or in plaintext by API clients, sealed on arrival); no answer ever contains one.',
      ].join('\n'),
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'rc_session' },
        apiToken: { type: 'http', scheme: 'bearer', bearerFormat: 'rcat_…', description: 'An API token from Settings › API tokens, as `Authorization: Bearer rcat_…`. No CSRF header is needed.' },
      },
    },
    // Either scheme: a session cookie or an API token.
    security: [{ session: [] }, { apiToken: [] }],
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
