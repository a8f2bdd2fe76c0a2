import fc from 'fast-check';
import type * as z from 'zod/mini';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes, type ApiRoute } from '@runner-console/contracts';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, flowIdOf, signedInBrowser, finishConnect } from '../test-support/connect-journey.ts';
import { recordSecurityRow } from './support/record-security-row.ts';
import { rawRequest, runPooled, type RawResponse } from './support/raw-http.ts';
import { diffBffState, snapshotBffState, type BffStateSnapshot } from './support/bff-state-snapshot.ts';
import { createPostgresDatabase, onPostgres } from '../test-support/postgres-database.ts';
import {
  contextUrlArbitrary,
  deepJsonArbitrary,
  hugeString,
  injectKey,
  keyArbitrary,
  malformedJsonArbitrary,
  oddParamArbitrary,
  pollutionKeys,
  pollutionMarker,
  pollutionPayloadArbitrary,
  queryArbitrary,
  valueArbitrary,
  defineOwn,
} from './support/fuzz-arbitraries.ts';

// Item 6 of SECURITY.md: generated bodies, query strings, path parameters and context URLs sent to
// every endpoint of the route table. Properties: never a 5xx, the BFF stays up, 4xx answers carry the
// error shape, nothing internal leaks, refused requests change no state, Object.prototype stays clean.
//
// Reproduce a run with FUZZ_SEED=<seed printed below>; scale with FUZZ_RUNS_PER_ROUTE.

const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
// About 15,000 route requests in all (420 per route when the table had 36): a new route shares the
// budget instead of adding to the suite's time.
const runsPerRoute = Number(process.env.FUZZ_RUNS_PER_ROUTE ?? Math.round(15_000 / Object.keys(apiRoutes).length));
const contextUrlRuns = Number(process.env.FUZZ_CONTEXT_URL_RUNS ?? 1_000);
const concurrency = 8;
const batchSize = 400;
const maxPathLength = 8_000;
const leakPattern = /at .+\.ts:\d+|SQLITE|sqlite|relation "|syntax error at|violates .* constraint|ECONNREFUSED/;

type RouteName = keyof typeof apiRoutes;
type RealIds = Record<'runnerId' | 'integrationId' | 'flowId' | 'environmentId' | 'tokenId', string>;

interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string;
  caller: 'admin' | 'anonymous';
  /** Every request of this kind must be refused (4xx): it would change state if accepted. */
  mustRefuse: boolean;
}

/** Routes that change state without a request schema: only odd path params, so they can only 404. */
const mutatingWithoutSchema: RouteName[] = ['rotateRunnerKey', 'deleteScmIntegration', 'validateScmIntegration', 'deleteGitAuthentication', 'newRunnerToken', 'deleteRunner', 'deleteEnvironment', 'removeMember', 'createPasswordReset', 'revokeInvitation', 'revokeConsoleApiToken', 'revokeRunnerConnection'];
/** Routes whose accepted body would change state: generated bodies that the contract accepts are left out. */
const mutatingWithSchema: RouteName[] = ['createRunner', 'updateRunner', 'createScmIntegration', 'updateScmIntegration', 'createEnvironment', 'createInvitation', 'updateMember', 'createConsoleApiToken', 'saveSsoSettings'];

function schemaKeys(schema: z.ZodMiniType | undefined): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * What the BFF's parseBody sees for this request, modelled on body-parser's JSON parser (strict, BOM
 * stripped): JSON bodies parsed; no body or a non-JSON type `{}`; `refusedByParser` when it answers 400.
 */
function effectiveBody(contentType: string | undefined, text: string | undefined): { refusedByParser: boolean; value?: unknown } {
  if (!contentType?.startsWith('application/json') || !text) return { refusedByParser: false, value: {} };
  const json = text.replace(/^\ufeff/, '');
  const first = /^[ \t\n\r]*(.)/s.exec(json)?.[1];
  if (first !== '{' && first !== '[') return { refusedByParser: true };
  try {
    return { refusedByParser: false, value: JSON.parse(json) };
  } catch {
    return { refusedByParser: true };
  }
}

function acceptedByContract(route: ApiRoute, contentType: string | undefined, text: string | undefined): boolean {
  if (!route.request) return false;
  const body = effectiveBody(contentType, text);
  // Only JSON bodies are read (and size-limited); any other body is left unread and parsed as `{}`.
  if (contentType?.startsWith('application/json') && Buffer.byteLength(text ?? '') > 100 * 1024) return false;
  if (body.refusedByParser) return false;
  return route.request.safeParse(body.value ?? {}).success;
}

function fillPath(template: string, params: Record<string, string>): string {
  return template.replace(/:(\w+)/g, (_, name: string) => params[name] ?? 'missing');
}

/** Body text for one request: any value, near-valid templates with one field broken, huge, deep, malformed. */
function bodyArbitrary(keys: readonly string[], template: Record<string, unknown>): fc.Arbitrary<string | undefined> {
  const anyValue = valueArbitrary(keys);
  const broken = fc
    .tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), anyValue, fc.option(fc.tuple(keyArbitrary(keys), anyValue), { nil: undefined }))
    .map(([key, value, extra]) => {
      const body: Record<string, unknown> = { ...template };
      defineOwn(body, key, value);
      if (extra) defineOwn(body, extra[0], extra[1]);
      return JSON.stringify(body);
    });
  const polluted = fc
    .tuple(
      fc.oneof(anyValue, fc.constant<unknown>({ ...template })),
      fc.array(fc.constantFrom(...keys, ...pollutionKeys, 'a'), { maxLength: 4 }),
      fc.constantFrom(...pollutionKeys),
      pollutionPayloadArbitrary(),
    )
    .map(([body, path, key, payload]) => JSON.stringify(injectKey(body, path, key, payload)));
  // Objects whose toString/valueOf are data, not functions: String(x) and template literals throw on them.
  const methodShadow = fc
    .tuple(
      fc.constantFrom(...(keys.length ? keys : ['x'])),
      fc.constantFrom('toString', 'toString', 'valueOf', 'toJSON', 'constructor'),
      fc.oneof(anyValue, fc.constant({})),
      fc.boolean(),
    )
    .map(([key, method, value, inArray]) => {
      const shadow = {};
      defineOwn(shadow, method, value);
      if (method === 'toString') defineOwn(shadow, 'valueOf', value);
      return JSON.stringify({ ...template, [key]: inArray ? [shadow] : shadow });
    });
  const huge = fc
    .tuple(fc.constantFrom(...(keys.length ? keys : ['x']), 'extra'), hugeString(50_000, 200_000))
    .map(([key, s]) => JSON.stringify({ ...template, [key]: s }));
  return fc.oneof(
    { arbitrary: anyValue.map((v) => JSON.stringify(v)), weight: 5 },
    { arbitrary: broken, weight: 5 },
    { arbitrary: polluted, weight: 3 },
    { arbitrary: methodShadow, weight: 2 },
    { arbitrary: huge, weight: 1 },
    { arbitrary: deepJsonArbitrary(), weight: 1 },
    { arbitrary: malformedJsonArbitrary(), weight: 1 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
}

const contentTypeArbitrary = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 12 },
  { arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml'), weight: 2 },
  { arbitrary: fc.constant(undefined), weight: 1 },
);

function errorShapeProblem(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return 'the 4xx body is not JSON';
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || !error.message.trim()) return 'the 4xx body is not {error:{code,message}}';
  if (error.fields !== undefined && (typeof error.fields !== 'object' || error.fields === null || Object.values(error.fields).some((v) => typeof v !== 'string'))) {
    return 'error.fields is not a map of strings';
  }
  return undefined;
}

/** Every per-request property; an empty list means the request held. */
function judge(req: FuzzRequest, res: RawResponse): string[] {
  const problems: string[] = [];
  if (res.status === 0) return [`no HTTP answer (${res.text})`];
  if (res.status >= 500) problems.push(`status ${res.status}`);
  // A browser navigation (Connect's start and finish) answers a person, not a program: its refusal
  // is a page that says what happened in an alert. Every other route answers JSON.
  const page = (apiRoutes[req.route as RouteName] as ApiRoute | undefined)?.redirect === true && String(res.headers['content-type'] ?? '').startsWith('text/html');
  if (res.status >= 400 && page) {
    if (!/<p role="alert">[^<]+<\/p>/.test(res.text)) problems.push('the 4xx page does not say what happened');
  } else if (res.status >= 400) {
    if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`4xx with content-type ${res.headers['content-type']}`);
    else {
      const shape = errorShapeProblem(res.text);
      if (shape) problems.push(shape);
    }
  }
  const leak = leakPattern.exec(res.text);
  if (leak && !`${req.path} ${req.body ?? ''}`.includes(leak[0])) problems.push(`response leaks "${leak[0]}"`);
  if (res.text.includes(pollutionMarker) && !`${req.path} ${req.body ?? ''}`.includes(pollutionMarker)) problems.push('response shows a polluted prototype');
  if (req.mustRefuse && res.status < 400) problems.push(`accepted (${res.status}) a request that must be refused`);
  return problems;
}

describe('bad input (property-based)', () => {
  let stack: TestStack;
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  let admin: TestBrowser;
  let ids: RealIds;
  let adminHeaders: Record<string, string>;
  let anonymousHeaders: Record<string, string>;
  let baseline: BffStateSnapshot;
  const acceptedEnvironmentIds = new Set<string>();
  let tried = 0;
  let sent = 0;
  let runnerTokensBaseline = '';
  type Failure = { route?: string; req: string; problems: string[]; status: number; answer: string };
  let failures: Failure[] = [];
  let lost = 0;

  /** Each test asserts the failures noted since the previous one, grouped by problem with examples. */
  function expectAllHeld() {
    const mine = failures;
    failures = [];
    lost += mine.length;
    const byProblem = new Map<string, Failure[]>();
    for (const f of mine) {
      const k = `${f.route ? `${f.route}: ` : ''}${f.problems.join('; ').replace(/: \d+ rows.*/, '')}`;
      byProblem.set(k, [...(byProblem.get(k) ?? []), f]);
    }
    const summary = [...byProblem]
      .map(([k, list]) => `${list.length}× ${k}\n${list.slice(0, 3).map((f) => `    e.g. ${f.req}\n    → ${f.status} ${f.answer}`).join('\n')}`)
      .join('\n');
    expect(mine.length, `property failures (FUZZ_SEED=${seed}):\n${summary}`).toBe(0);
  }

  function note(req: FuzzRequest, res: RawResponse, problems: string[]) {
    tried++;
    if (problems.length) {
      failures.push({ route: req.route, req: `${req.method} ${req.path.slice(0, 160)} ${req.contentType ?? '-'} ${(req.body ?? '').slice(0, 160)}`, problems, status: res.status, answer: res.text.slice(0, 200) });
    }
  }

  async function send(req: FuzzRequest): Promise<RawResponse> {
    sent++;
    const headers: Record<string, string> = { ...(req.caller === 'admin' ? adminHeaders : anonymousHeaders) };
    if (req.contentType) headers['content-type'] = req.contentType;
    return rawRequest(stack.bffDirect, { method: req.method, path: req.path, headers, body: req.body });
  }

  async function runnerTokens(): Promise<string> {
    const res = await admin.api(stack.dashboard, 'GET', '/api/git-authentications');
    return JSON.stringify((res.body?.authentications ?? []).map((a: { id: string; accountName: string; scopes: string[] }) => [a.id, a.accountName, a.scopes]));
  }

  /** Batch-level properties: the BFF answers its health check, and refused requests changed nothing. */
  async function checkBatch(label: string) {
    tried++;
    const health = await rawRequest(stack.bffDirect, { method: 'GET', path: '/healthz' }, 5_000);
    if (health.status !== 200) failures.push({ req: `health after ${label}`, problems: ['BFF not healthy'], status: health.status, answer: health.text.slice(0, 200) });
    tried++;
    const now = await snapshotBffState({ dataDir: stack.dataDir, databaseUrl: database?.url }, { ignoreEnvironmentIds: acceptedEnvironmentIds });
    const diffs = diffBffState(baseline, now);
    // The runner's side: the admin's Bitbucket tokens (only the runner holds them).
    const tokens = await runnerTokens();
    if (tokens !== runnerTokensBaseline) {
      diffs.push(`runner tokens: ${tokens}`);
      runnerTokensBaseline = tokens;
    }
    if (diffs.length) {
      failures.push({ req: `state after ${label}`, problems: diffs, status: 0, answer: '' });
      baseline = now; // report each change once
    }
  }

  async function sendBatches(label: string, requests: FuzzRequest[], afterEach?: (req: FuzzRequest, res: RawResponse) => void) {
    for (let start = 0; start < requests.length; start += batchSize) {
      const batch = requests.slice(start, start + batchSize);
      await runPooled(batch, concurrency, async (req) => {
        const res = await send(req);
        afterEach?.(req, res);
        note(req, res, judge(req, res));
      });
      await checkBatch(`${label} batch ${start / batchSize + 1}`);
    }
  }

  beforeAll(async () => {
    console.log(`bad-input: FUZZ_SEED=${seed} FUZZ_RUNS_PER_ROUTE=${runsPerRoute}`);
    // In the PostgreSQL project the stack's BFF gets a fresh database of the run's cluster.
    database = onPostgres ? await createPostgresDatabase() : undefined;
    stack = await startTestStack(database ? { env: { DATABASE_URL: database.url } } : {});
    admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
    // Real ids for every path parameter: an integration, a finished Connect flow, a token, an environment.
    const { runnerId, integrationId } = await configureBitbucket(stack, admin);
    const callbackUrl = await authorizeAtBitbucket(stack, admin, runnerId);
    expect((await finishConnect(admin, callbackUrl)).status).toBe(200);
    const auths = await admin.api(stack.dashboard, 'GET', '/api/git-authentications');
    const env = await admin.api(stack.dashboard, 'POST', '/api/environments', { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId });
    expect(env.status).toBe(201);
    ids = { runnerId, integrationId, flowId: flowIdOf(callbackUrl), environmentId: env.body.id, tokenId: auths.body.authentications[0].id };
    // Let the clone settle so its updates do not look like changes made by refused requests.
    for (let i = 0; i < 100; i++) {
      const e = await admin.api(stack.dashboard, 'GET', `/api/environments/${ids.environmentId}`);
      if (e.body.phase === 'ready' || e.body.phase === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const csrf = admin.cookie(stack.dashboard, 'rc_csrf')!;
    adminHeaders = { cookie: `rc_session=${admin.cookie(stack.dashboard, 'rc_session')}; rc_csrf=${csrf}`, 'x-csrf-token': csrf };
    // Sign-out is fuzzed without a session (it would otherwise end the admin's), still past the CSRF check.
    anonymousHeaders = { cookie: `rc_csrf=${csrf}`, 'x-csrf-token': csrf };
    baseline = await snapshotBffState({ dataDir: stack.dataDir, databaseUrl: database?.url });
    runnerTokensBaseline = await runnerTokens();
    expect(JSON.parse(runnerTokensBaseline)).toHaveLength(1);
  });

  afterAll(async () => {
    lost += failures.length;
    if (tried) {
      recordSecurityRow('input', { tried, held: tried - lost, lost }, `${sent} generated requests, seed ${seed}`);
      console.log(`bad-input: ${sent} generated requests, ${tried} checks, ${lost} lost (FUZZ_SEED=${seed})`);
    }
    await stack?.stop();
    await database?.drop();
  });

  it('every endpoint of the route table: generated bodies, query strings and path params', async () => {
    const realValues = Object.values(ids);
    const oddParam = oddParamArbitrary(realValues);
    const templates: Partial<Record<RouteName, Record<string, unknown>>> = {
      signIn: { email: 'admin@acme.test', password: 'not-the-password' },
      createRunner: { name: 'fuzzed runner' },
      updateRunner: { name: 'fuzzed name' },
      createScmIntegration: { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'secret' },
      updateScmIntegration: { oauthEnabled: false },
      checkAuthentication: { host: 'bitbucket.org' },
      createEnvironment: { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId: ids.runnerId },
      createInvitation: { email: 'fuzzed@acme.test', role: 'member' },
      changeOwnPassword: { currentPassword: 'not-the-password', newPassword: 'a long enough password' },
      acceptInvitation: { token: 'rci_fuzzed', name: 'Fuzzed', password: 'a long enough password' },
    };
    const perRoute: FuzzRequest[][] = [];
    let skippedValid = 0;
    let routeIndex = 0;
    for (const [name, route] of Object.entries(apiRoutes) as [RouteName, ApiRoute][]) {
      const paramNames = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
      const oddOnly = mutatingWithoutSchema.includes(name);
      const params = fc.record(
        Object.fromEntries(
          paramNames.map((p) => [p, oddOnly ? oddParam : fc.oneof({ arbitrary: fc.constant(ids[p as keyof RealIds] ?? 'missing'), weight: 3 }, { arbitrary: oddParam, weight: 2 })]),
        ),
      );
      const keys = schemaKeys(route.request);
      const hasBody = route.method !== 'get';
      const query =
        name === 'startConnect'
          ? fc.oneof(
              queryArbitrary(realValues),
              // Well-formed but never with the caller's CSRF token: must be refused, and create no flow.
              fc
                .tuple(fc.constantFrom(ids.runnerId, 'nope'), fc.constantFrom('bitbucket.org', 'evil.example', ''), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('popup', 'tab', 'x'), fc.constantFrom('', '/', '//evil.example', '/\\evil.example', 'https://evil.example'))
                .map(([r, h, c, m, back]) => `?${new URLSearchParams({ runnerId: r, host: h, csrf: `${c}-not-the-token`, mode: m, returnTo: back })}`),
            )
          : queryArbitrary(realValues);
      const arb = fc.record({
        params,
        query,
        body: hasBody ? bodyArbitrary(keys, templates[name] ?? {}) : fc.constant(undefined),
        contentType: hasBody ? contentTypeArbitrary : fc.constant(undefined),
      });
      const mustRefuse = oddOnly || mutatingWithSchema.includes(name) || name === 'signIn' || name === 'startConnect' || name === 'finishConnect';
      const samples = fc.sample(arb, { numRuns: runsPerRoute, seed: seed + routeIndex++ });
      const requests: FuzzRequest[] = [];
      perRoute.push(requests);
      for (const s of samples) {
        if (mutatingWithSchema.includes(name) && acceptedByContract(route, s.contentType, s.body)) {
          skippedValid++; // valid by contract: it could legitimately change state, so it is not a refused request
          continue;
        }
        if (name === 'signIn' && /"password":"(admin|dev)"/.test(s.body ?? '')) continue;
        requests.push({
          route: name,
          method: route.method.toUpperCase(),
          // Node answers 431 (no JSON, before Express) when the request head passes 16 KB: stay under it.
          path: (fillPath(route.path, s.params) + s.query).slice(0, maxPathLength),
          contentType: s.contentType,
          body: s.body,
          caller: name === 'signOut' ? 'anonymous' : 'admin',
          mustRefuse,
        });
      }
    }
    // Interleave the routes so every batch touches every endpoint.
    const requests = Array.from({ length: runsPerRoute }, (_, i) => perRoute.map((list) => list[i])).flat().filter((r): r is FuzzRequest => r !== undefined);
    const started = Date.now();
    await sendBatches('route fuzz', requests);
    console.log(`bad-input: ${requests.length} route requests (${skippedValid} generated bodies were valid by contract and left out) in ${Date.now() - started} ms`);
    expect(requests.length).toBeGreaterThan(Object.keys(apiRoutes).length * runsPerRoute * 0.8);
    expectAllHeld();
  });

  it('NUL, escape and text-direction overrides in every string field of every body and query: 400, nothing changed', async () => {
    // A valid body (or query) for each route that takes one; each string field in turn gets a character
    // no field may hold, at its start, middle and end. Every answer must be 400 with the error shape.
    const bodies: Partial<Record<RouteName, Record<string, unknown>>> = {
      signIn: { email: 'admin@acme.test', password: 'not-the-password' },
      createRunner: { name: 'named runner', publicUrl: 'http://localhost:4999' },
      updateRunner: { name: 'renamed runner', publicUrl: 'http://localhost:4998' },
      createScmIntegration: { provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key', oauthPlaintextClientSecret: 'secret' },
      updateScmIntegration: { clientId: 'key', oauthPlaintextClientSecret: 'secret' },
      checkAuthentication: { host: 'bitbucket.org' },
      createEnvironment: { contextUrl: 'https://bitbucket.org/acme/widgets', runnerId: ids.runnerId },
      connectApiToken: { host: 'bitbucket.org', email: 'alice@acme.test', tokenEnvelope: 'eyJhbGciOiJFQ0RILUVTIn0.a.b.c.d', expiresOn: '2030-01-01' },
      createInvitation: { email: 'forbidden@acme.test', role: 'member' },
      // Not changeOwnPassword: the route fuzz above has used up its per-user limit (429 first).
    };
    const queries: Partial<Record<RouteName, Record<string, string>>> = {
      startConnect: { runnerId: ids.runnerId, host: 'bitbucket.org', csrf: 'x', mode: 'popup' },
    };
    const bad = ['\u0000', '\u001b', '\u007f', '\u202e', '\u2066'];
    const requests: FuzzRequest[] = [];
    for (const [name, template] of Object.entries(bodies) as [RouteName, Record<string, unknown>][]) {
      const route = apiRoutes[name] as ApiRoute;
      expect(schemaKeys(route.request).length, name).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(template)) {
        if (typeof value !== 'string') continue;
        for (const c of bad) {
          for (const text of [`${c}${value}`, `${value.slice(0, 3)}${c}${value.slice(3)}`, `${value}${c}`]) {
            // Sign-in's per-client limit counts refusals before the body is read: a fresh e-mail
            // for each request keeps every answer the contract's own.
            const base = name === 'signIn' && key !== 'email' ? { ...template, email: `forbidden-${requests.length}@acme.test` } : template;
            requests.push({ route: name, method: route.method.toUpperCase(), path: fillPath(route.path, ids), contentType: 'application/json', body: JSON.stringify({ ...base, [key]: text }), caller: 'admin', mustRefuse: true });
          }
        }
      }
    }
    for (const [name, template] of Object.entries(queries) as [RouteName, Record<string, string>][]) {
      const route = apiRoutes[name] as ApiRoute;
      for (const key of Object.keys(template)) {
        for (const c of bad) {
          const q = new URLSearchParams({ ...template, [key]: `${template[key]}${c}` });
          requests.push({ route: name, method: 'GET', path: `${fillPath(route.path, ids)}?${q}`, caller: 'admin', mustRefuse: true });
        }
      }
    }
    let not400 = 0;
    await sendBatches('forbidden characters', requests, (req, res) => {
      if (res.status !== 400) {
        not400++;
        failures.push({ route: req.route, req: `${req.method} ${req.path} ${req.body ?? ''}`.slice(0, 300), problems: [`status ${res.status}, expected 400`], status: res.status, answer: res.text.slice(0, 200) });
      }
    });
    console.log(`bad-input: ${requests.length} bodies and queries with forbidden characters, ${not400} not refused with 400`);
    expectAllHeld();
  });

  it('context URLs for POST /api/environments: refused or created, never a 5xx, nothing left behind when refused', async () => {
    const urls = fc.sample(contextUrlArbitrary({ emulatorPort: stack.ports.bitbucket }), { numRuns: contextUrlRuns, seed: seed + 1_000 });
    const requests: FuzzRequest[] = urls.map((contextUrl) => ({
      route: 'createEnvironment',
      method: 'POST',
      path: '/api/environments',
      contentType: 'application/json',
      body: JSON.stringify({ contextUrl, runnerId: ids.runnerId }),
      caller: 'admin',
      mustRefuse: false,
    }));
    let created = 0;
    const started = Date.now();
    await sendBatches('context URLs', requests, (_req, res) => {
      if (res.status === 201) {
        created++;
        acceptedEnvironmentIds.add((JSON.parse(res.text) as { id: string }).id);
      }
    });
    console.log(`bad-input: ${requests.length} context URLs (${created} resolved and created an environment) in ${Date.now() - started} ms`);
    expectAllHeld();
  });

  it('Object.prototype of the BFF is not polluted', async () => {
    const payload = `{"${pollutionMarker}":"yes","isAdmin":true}`;
    const bodies = [
      `{"__proto__":${payload}}`,
      `{"constructor":{"prototype":${payload}}}`,
      `{"name":{"__proto__":${payload}}}`,
      `{"a":{"b":{"__proto__":${payload}}}}`,
      `[{"__proto__":${payload}}]`,
      `{"host":"bitbucket.org","__proto__":${payload}}`,
      `{"email":"admin@acme.test","password":"nope","__proto__":${payload}}`,
      `{"contextUrl":"https://bitbucket.org/acme/nope","runnerId":"${ids.runnerId}","__proto__":${payload},"constructor":{"prototype":${payload}}}`,
    ];
    const requests: FuzzRequest[] = [];
    for (const [name, route] of Object.entries(apiRoutes) as [RouteName, ApiRoute][]) {
      if (route.method === 'get' || name === 'signOut') continue;
      const odd = mutatingWithoutSchema.includes(name);
      const p = fillPath(route.path, odd ? { runnerId: 'no-such-runner', integrationId: 'x', tokenId: 'x' } : ids);
      for (const body of bodies) {
        if (mutatingWithSchema.includes(name) && acceptedByContract(route, 'application/json', body)) continue;
        requests.push({ route: name, method: route.method.toUpperCase(), path: `${p}?__proto__[${pollutionMarker}]=yes`, contentType: 'application/json', body, caller: 'admin', mustRefuse: odd || mutatingWithSchema.includes(name) });
      }
    }
    await sendBatches('pollution attempts', requests);
    // A polluted prototype shows up in for…in walks (zod's strict key check, response building) and in
    // lookups of absent keys; these answers would then carry the marker.
    const probes: FuzzRequest[] = [
      ...['/api/auth/session', '/api/runners', `/api/runners/${ids.runnerId}`, `/api/runners/${ids.runnerId}/integrations`, '/api/environments', '/api/git-authentications', `/api/runners/${ids.runnerId}/audit-log`].map(
        (path): FuzzRequest => ({ route: 'probe', method: 'GET', path, caller: 'admin', mustRefuse: false }),
      ),
      { route: 'probe', method: 'POST', path: '/api/environments', contentType: 'application/json', body: '{"contextUrl":"x","runnerId":"nope"}', caller: 'admin', mustRefuse: true },
      { route: 'probe', method: 'PATCH', path: `/api/runners/${ids.runnerId}/integrations/${ids.integrationId}`, contentType: 'application/json', body: '{"clientId":5}', caller: 'admin', mustRefuse: true },
      { route: 'probe', method: 'POST', path: '/api/runners', contentType: 'application/json', body: '{}', caller: 'admin', mustRefuse: true },
    ];
    for (const req of probes) {
      const res = await send(req);
      const problems = judge(req, res);
      if (res.text.includes('polluted') || res.text.includes('isAdmin')) problems.push('probe answer shows a polluted prototype');
      note(req, res, problems);
    }
    await checkBatch('pollution probes');
    expectAllHeld();
  });

  it('a request head over 16 KB is refused by Node (431) and the BFF stays up', async () => {
    // Node's HTTP parser answers this before Express, so it is the one 4xx without the JSON error shape.
    for (const path of [`/api/runners/${'a'.repeat(20_000)}`, `/api/runners?q=${'y'.repeat(20_000)}`]) {
      const res = await rawRequest(stack.bffDirect, { method: 'GET', path, headers: adminHeaders });
      tried++;
      if (res.status !== 431 && res.status !== 414) failures.push({ req: `GET ${path.slice(0, 40)}… (20 KB)`, problems: [`status ${res.status}, expected 431`], status: res.status, answer: res.text.slice(0, 200) });
    }
    await checkBatch('oversized request heads');
    expectAllHeld();
  });

  it('the admin stays signed in and at least 10,000 generated requests were sent', async () => {
    const me = await admin.api(stack.dashboard, 'GET', '/api/auth/session');
    tried++;
    if (me.body?.user?.email !== 'admin@acme.test') failures.push({ req: 'admin session after the run', problems: ['the admin was signed out'], status: me.status, answer: '' });
    expectAllHeld();
    expect(sent, 'at least 10,000 generated requests').toBeGreaterThanOrEqual(10_000);
  });
});
