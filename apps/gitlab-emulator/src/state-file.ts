import { readJsonFile, writeJsonFileAtomically, type RotatingRefreshTokens } from '@runner-console/emulator-kit';
import { z } from 'zod';
import type { GitLabState, RefreshGrant } from './state.ts';

const fileSchema = z.object({
  version: z.literal(1),
  nextId: z.number(),
  applications: z.array(z.object({ uid: z.string(), secretHash: z.string(), name: z.string(), redirectUris: z.array(z.string()), scopes: z.array(z.string()), confidential: z.boolean() })),
  tokens: z.array(
    z.tuple([
      z.string(),
      z.object({
        kind: z.enum(['oauth', 'personal']),
        id: z.number(),
        userId: z.number(),
        scopes: z.array(z.string()),
        applicationUid: z.string().optional(),
        name: z.string().optional(),
        createdAt: z.number(),
        expiresAt: z.number().nullable(),
        revoked: z.boolean(),
      }),
    ]),
  ),
  authorizations: z.array(z.tuple([z.number(), z.array(z.tuple([z.string(), z.array(z.string())]))])),
  refreshTokens: z.array(
    z.tuple([
      z.string(),
      z.object({
        clientId: z.string(),
        grant: z.object({ userId: z.number(), applicationUid: z.string(), scopes: z.array(z.string()), accessTokenHash: z.string() }),
        expiresAt: z.number(),
        used: z.boolean(),
        revoked: z.boolean(),
      }),
    ]),
  ),
});

export class StateFileError extends Error {
  override name = 'StateFileError';
}

/**
 * Applications, tokens (hashes only) and authorizations, kept in `gitlab-emulator/state.json` so
 * that an integration made under `npm start` still works after a restart. Users, projects and
 * merge requests are the seed's, made again at start.
 */
export function saveState(file: string, state: GitLabState, refreshTokens: RotatingRefreshTokens<RefreshGrant>): void {
  const snapshot: z.infer<typeof fileSchema> = {
    version: 1,
    nextId: state.peekNextId(),
    applications: [...state.applications.values()].map((application) => ({ ...application, redirectUris: [...application.redirectUris], scopes: [...application.scopes] })),
    tokens: [...state.tokens].map(([hash, token]) => [hash, { ...token, scopes: [...token.scopes] }]),
    authorizations: [...state.authorizations].map(([userId, byApplication]) => [userId, [...byApplication].map(([uid, scopes]) => [uid, [...scopes]] as [string, string[]])]),
    refreshTokens: refreshTokens.snapshot().map(([hash, token]) => [hash, { ...token, grant: { ...token.grant, scopes: [...token.grant.scopes] } }]),
  };
  writeJsonFileAtomically(file, snapshot);
}

/** Loads what saveState wrote; nothing when there is no file yet. Throws a StateFileError for a damaged file. */
export function loadState(file: string, state: GitLabState, refreshTokens: RotatingRefreshTokens<RefreshGrant>): void {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (error) {
    throw new StateFileError(`${file} is not valid JSON (${(error as Error).message}). Move it away to start with no applications and tokens.`);
  }
  if (raw === undefined) return;
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StateFileError(`${file} is not a GitLab emulator state file (${parsed.error.issues[0]?.message ?? 'unreadable'}). Move it away to start with no applications and tokens.`);
  }
  const data = parsed.data;
  state.advanceNextId(data.nextId);
  for (const application of data.applications) state.applications.set(application.uid, application);
  for (const [hash, token] of data.tokens) state.tokens.set(hash, token);
  for (const [userId, byApplication] of data.authorizations) state.authorizations.set(userId, new Map(byApplication));
  refreshTokens.restore(data.refreshTokens);
}
