import * as z from 'zod/mini';
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

export const Runner = z.object({
  id: z.string(),
  name: z.string(),
  kind: RunnerKind,
  phase: RunnerPhase,
  version: z.nullable(z.string()),
  region: z.nullable(z.string()),
  publicUrl: z.nullable(z.string()),
  publicKey: z.nullable(RunnerPublicJwk),
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
  );

export const CreateRunnerRequest = z.object({ name: RunnerName });
export type CreateRunnerRequest = z.infer<typeof CreateRunnerRequest>;

/** The runner token is shown once, here, and stored only as a hash. */
export const CreateRunnerResponse = z.object({
  runner: Runner,
  runnerToken: z.string(),
  startCommand: z.string(),
});
export type CreateRunnerResponse = z.infer<typeof CreateRunnerResponse>;

export const PingRunnerResponse = z.object({
  ok: z.literal(true),
  roundTripMs: z.number(),
  runnerVersion: z.string(),
});
export type PingRunnerResponse = z.infer<typeof PingRunnerResponse>;

/** Server-sent events on GET /api/events, one JSON body per event. */
export const RunnerChangedEvent = z.object({ type: z.literal('runner.changed'), runner: Runner });

/** Link method `rotateKey`: the runner's answer. */
export const RotateKeyResult = z.object({ publicKey: RunnerPublicJwk });
