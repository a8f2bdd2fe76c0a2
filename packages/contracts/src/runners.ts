import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';
import { NextCursor } from './pagination.ts';

export const RunnerPhase = z.enum(['created', 'active', 'inactive', 'degraded']);
export type RunnerPhase = z.infer<typeof RunnerPhase>;

export const RunnerKind = z.enum(['local', 'self-hosted']);
export type RunnerKind = z.infer<typeof RunnerKind>;

/** A public key as the runner registers it: an EC/OKP JWK whose kid is its RFC 7638 thumbprint. */
export const RunnerPublicJwk = z.object({
  kty: z.enum(['EC', 'OKP']),
  crv: z.enum(['P-256', 'X25519']),
  x: z.string().check(z.maxLength(200)),
  y: z.optional(z.string().check(z.maxLength(200))),
  kid: z.string().check(z.minLength(10), z.maxLength(100)),
});
export type RunnerPublicJwk = z.infer<typeof RunnerPublicJwk>;

/** Whether a value is a bare http(s) origin: scheme, host and port, nothing else. */
export function isWebOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === value;
  } catch {
    return false;
  }
}

/**
 * Where a runner reaches a provider host's web pages (and git), from its own configuration: under
 * `npm start`, bitbucket.org is served by the emulator at http://localhost:8082. Links on that origin
 * are links on that host for this runner.
 */
export const ProviderSite = z.object({
  host: z.string().check(z.minLength(1), z.maxLength(253), noForbiddenCharacters),
  origin: z.string().check(z.maxLength(300), z.refine(isWebOrigin, { error: 'Use an http(s) origin, such as http://localhost:8082.' })),
});
export type ProviderSite = z.infer<typeof ProviderSite>;

export const Runner = z.object({
  id: z.string(),
  name: z.string(),
  kind: RunnerKind,
  phase: RunnerPhase,
  version: z.nullable(z.string()),
  region: z.nullable(z.string()),
  /** The URL the runner reported on its last connection. */
  publicUrl: z.nullable(z.string()),
  /**
   * The public URL fixed at set-up (or on the first connection when set-up named none). Integrations'
   * OAuth callback URLs are registered against it; a runner reporting another URL breaks Connect.
   */
  pinnedPublicUrl: z.nullable(z.string()),
  /** The key pinned at the runner's first connection; only Rotate key or an admin's acceptance changes it. */
  publicKey: z.nullable(RunnerPublicJwk),
  /**
   * A different key a connection presented with this runner's token, which was refused: the runner
   * was reinstalled or lost its data folder, or someone else holds its token. Null when there is none.
   */
  pendingKey: z.nullable(z.object({ kid: z.string(), presentedAt: z.string() })),
  /** The provider sites the runner reported on its last connection (empty before it first connects). */
  providerSites: z.array(ProviderSite),
  lastSeenAt: z.nullable(z.string()),
  createdAt: z.string(),
});
export type Runner = z.infer<typeof Runner>;

export const RunnerList = z.object({ runners: z.array(Runner), nextCursor: NextCursor });
export type RunnerList = z.infer<typeof RunnerList>;

export const RunnerName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Give the runner a name.' }),
    z.maxLength(80, { error: 'Keep the name under 80 characters.' }),
    noForbiddenCharacters,
  );

/** Whether a runner's public URL is one browsers may be sent to: http(s), no query, fragment or credentials. */
export function isRunnerPublicUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && !u.search && !u.hash && !u.username && !u.password;
  } catch {
    return false;
  }
}

export const runnerPublicUrlError = 'Enter an http:// or https:// URL without a query, such as https://runner.acme.internal.';

/** Where developers' browsers reach the runner: an http(s) origin with an optional path, no query. */
export const RunnerPublicUrl = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Enter the URL where developers’ browsers reach the runner.' }),
    z.maxLength(300, { error: 'Keep the URL under 300 characters.' }),
    noForbiddenCharacters,
    z.refine(isRunnerPublicUrl, { error: runnerPublicUrlError }),
  );

export const CreateRunnerRequest = z.object({
  name: RunnerName,
  /** Optional for API clients: without it, the URL of the first connection is pinned. */
  publicUrl: z.optional(RunnerPublicUrl),
});
export type CreateRunnerRequest = z.infer<typeof CreateRunnerRequest>;

/** The runner token is shown once, here, and stored only as a hash. */
export const CreateRunnerResponse = z.object({
  runner: Runner,
  runnerToken: z.string(),
  startCommand: z.string(),
});
export type CreateRunnerResponse = z.infer<typeof CreateRunnerResponse>;

/** Rename, or move the pinned public URL (integrations then show "Callback URL changed"). */
export const UpdateRunnerRequest = z.strictObject({
  name: z.optional(RunnerName),
  publicUrl: z.optional(RunnerPublicUrl),
});
export type UpdateRunnerRequest = z.infer<typeof UpdateRunnerRequest>;

/** A new runner token: the old one stops working at once. Shown once, with its start command. */
export const NewRunnerTokenResponse = CreateRunnerResponse;
export type NewRunnerTokenResponse = z.infer<typeof NewRunnerTokenResponse>;

/** For a runner on the BFF's own machine: a URL on a port that is free there now. */
export const SuggestedPublicUrlResponse = z.object({ publicUrl: z.string() });

/** What deleting a runner takes with it, for the confirmation. */
export const RunnerDeletionImpact = z.object({
  integrations: z.array(z.object({ id: z.string(), provider: z.string(), host: z.string() })),
  environments: z.number(),
  /** Developers' provider tokens on the runner; null when the runner is offline and cannot say. */
  developerTokens: z.nullable(z.number()),
  runnerOnline: z.boolean(),
});
export type RunnerDeletionImpact = z.infer<typeof RunnerDeletionImpact>;

export const DeleteRunnerResponse = z.object({
  deletedIntegrations: z.number(),
  deletedEnvironments: z.number(),
  /** True when the runner was connected and erased its tokens and workspaces. */
  runnerErased: z.boolean(),
  erasedTokens: z.nullable(z.number()),
  erasedWorkspaces: z.nullable(z.number()),
});
export type DeleteRunnerResponse = z.infer<typeof DeleteRunnerResponse>;

/** Link method `eraseAll` (runner deleted): the runner deletes every token and workspace it holds. */
export const EraseAllResult = z.object({ tokens: z.number(), workspaces: z.number() });
/** Link method `countTokens`: how many developer tokens the runner holds. */
export const CountTokensResult = z.object({ tokens: z.number() });

export const PingRunnerResponse = z.object({
  ok: z.literal(true),
  roundTripMs: z.number(),
  runnerVersion: z.string(),
});
export type PingRunnerResponse = z.infer<typeof PingRunnerResponse>;

/** Server-sent events on GET /api/events, one JSON body per event. */
export const RunnerChangedEvent = z.object({ type: z.literal('runner.changed'), runner: Runner });
export const RunnerDeletedEvent = z.object({ type: z.literal('runner.deleted'), runnerId: z.string() });

/**
 * Accept the key a runner presented instead of its pinned one (its `pendingKey`). The kid is the one
 * the admin saw and confirmed: if the runner has since presented yet another key, nothing changes.
 */
export const AcceptRunnerKeyRequest = z.strictObject({
  kid: z.string().check(z.minLength(10, { error: 'Name the key id to accept.' }), z.maxLength(100, { error: 'Name the key id to accept.' })),
});
export type AcceptRunnerKeyRequest = z.infer<typeof AcceptRunnerKeyRequest>;

/** Link method `rotateKey`: the runner's answer. */
export const RotateKeyResult = z.object({ publicKey: RunnerPublicJwk });
