import * as z from 'zod/mini';
import { ProviderSite, RunnerPublicJwk, isRunnerPublicUrl } from './runners.ts';

/**
 * Messages on the runner's outbound WebSocket to the BFF (`/api/runner-link`).
 * The runner authenticates with `Authorization: Bearer <runner token>` on the upgrade request.
 * Either side may send requests; each is answered by one response with the same id.
 */
export const LinkHello = z.object({
  type: z.literal('hello'),
  version: z.string().check(z.maxLength(40)),
  region: z.nullable(z.string().check(z.maxLength(40))),
  // Browsers are sent here for the OAuth start and callback: http(s) only, never javascript: or data:.
  publicUrl: z.string().check(
    z.maxLength(300),
    z.refine(isRunnerPublicUrl, { error: 'Use an http:// or https:// URL without a query or credentials.' }),
  ),
  publicKey: RunnerPublicJwk,
  /** Where the runner's configuration says each provider host's web pages are (older runners send none). */
  providerSites: z.optional(z.array(ProviderSite).check(z.maxLength(20))),
});
export type LinkHello = z.infer<typeof LinkHello>;

/**
 * Close codes the BFF ends a runner link with, and what the runner does on each: 4003 and 4004 end
 * it for good (the token will never work again); 4002 and 4005 are retried at a slow pace (an admin
 * can fix the cause: accept the runner's new key, or correct its settings).
 */
export const linkCloseCodes = {
  helloTimeout: 4001,
  invalidHello: 4002,
  runnerDeleted: 4003,
  tokenRevoked: 4004,
  /** The hello's key is not the one pinned for this runner; it waits for Rotate key or an admin's acceptance. */
  keyNotAccepted: 4005,
  /** This BFF instance is draining (a restart, an upgrade): reconnect at once, without a backoff. */
  reconnect: 4006,
} as const;

export const LinkWelcome = z.object({
  type: z.literal('welcome'),
  runnerId: z.string(),
  orgId: z.string(),
  heartbeatIntervalMs: z.int().check(z.positive()),
});
export type LinkWelcome = z.infer<typeof LinkWelcome>;

export const LinkHeartbeat = z.object({ type: z.literal('heartbeat') });

export const LinkRequest = z.object({
  type: z.literal('request'),
  id: z.string().check(z.maxLength(64)),
  method: z.string().check(z.maxLength(64)),
  params: z.unknown(),
});
export type LinkRequest = z.infer<typeof LinkRequest>;

export const LinkErrorBody = z.object({
  code: z.string().check(z.maxLength(64)),
  message: z.string().check(z.maxLength(2000)),
});
export type LinkErrorBody = z.infer<typeof LinkErrorBody>;

export const LinkResponse = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('response'),
    id: z.string(),
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.object({
    type: z.literal('response'),
    id: z.string(),
    ok: z.literal(false),
    error: LinkErrorBody,
  }),
]);
export type LinkResponse = z.infer<typeof LinkResponse>;

/** Anything either side may send. */
export const LinkMessage = z.union([
  LinkHello,
  LinkWelcome,
  LinkHeartbeat,
  LinkRequest,
  LinkResponse,
]);
export type LinkMessage = z.infer<typeof LinkMessage>;

export const PingResult = z.object({ version: z.string() });
