import { readJsonFile, writeJsonFileAtomically, type RotatingRefreshTokens } from '@runner-console/emulator-kit';
import { z } from 'zod';
import type { AccessToken, AppRefreshGrant, GitHubState, OAuthClient } from './state.ts';

const level = z.enum(['read', 'write']);
const permissions = z.record(z.string(), level);
const grant = z.object({ userId: z.number(), clientId: z.string(), scopes: z.array(z.string()) });

const fileSchema = z.object({
  version: z.literal(1),
  nextId: z.number(),
  clients: z.array(
    z.object({
      kind: z.enum(['oauth-app', 'github-app']),
      clientId: z.string(),
      clientSecretHash: z.string(),
      name: z.string(),
      owner: z.string(),
      callbackUrl: z.string(),
      appId: z.number().optional(),
      slug: z.string().optional(),
      permissions: permissions.optional(),
      installations: z.array(z.object({ id: z.number(), account: z.string(), repositoryIds: z.array(z.number()) })),
    }),
  ),
  tokens: z.array(
    z.tuple([
      z.string(),
      z.object({
        kind: z.enum(['oauth', 'classic', 'fine-grained', 'app-user']),
        userId: z.number(),
        scopes: z.array(z.string()),
        repositoryIds: z.array(z.number()).optional(),
        permissions: permissions.optional(),
        clientId: z.string().optional(),
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
        grant: grant.extend({ accessTokenHash: z.string() }),
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
 * Apps, tokens (hashes only) and authorizations, kept in `github-emulator/state.json` so that an
 * integration made under `npm start` still works after a restart, as the Bitbucket emulator's
 * SQLite file does. Users, repositories and pull requests are the seed's, made again at start.
 */
export function saveState(file: string, state: GitHubState, refreshTokens: RotatingRefreshTokens<AppRefreshGrant>): void {
  const snapshot: z.infer<typeof fileSchema> = {
    version: 1,
    nextId: state.peekNextId(),
    clients: [...state.clients.values()].map((client) => ({
      kind: client.kind,
      clientId: client.clientId,
      clientSecretHash: client.clientSecretHash,
      name: client.name,
      owner: client.owner.login,
      callbackUrl: client.callbackUrl,
      ...(client.appId === undefined ? {} : { appId: client.appId }),
      ...(client.slug === undefined ? {} : { slug: client.slug }),
      ...(client.permissions === undefined ? {} : { permissions: { ...client.permissions } }),
      installations: client.installations.map((installation) => ({
        id: installation.id,
        account: installation.account.login,
        repositoryIds: [...installation.repositoryIds],
      })),
    })),
    tokens: [...state.tokens].map(([hash, token]) => [
      hash,
      {
        kind: token.kind,
        userId: token.userId,
        scopes: [...token.scopes],
        ...(token.repositoryIds ? { repositoryIds: [...token.repositoryIds] } : {}),
        ...(token.permissions ? { permissions: { ...token.permissions } } : {}),
        ...(token.clientId === undefined ? {} : { clientId: token.clientId }),
        expiresAt: token.expiresAt,
        revoked: token.revoked,
      },
    ]),
    authorizations: [...state.authorizations].map(([userId, byClient]) => [
      userId,
      [...byClient].map(([clientId, scopes]) => [clientId, [...scopes]] as [string, string[]]),
    ]),
    refreshTokens: refreshTokens.snapshot().map(([hash, token]) => [hash, { ...token, grant: { ...token.grant, scopes: [...token.grant.scopes] } }]),
  };
  writeJsonFileAtomically(file, snapshot);
}

/** Loads what saveState wrote; nothing when there is no file yet. Throws a StateFileError for a damaged file. */
export function loadState(file: string, state: GitHubState, refreshTokens: RotatingRefreshTokens<AppRefreshGrant>): void {
  let raw: unknown;
  try {
    raw = readJsonFile(file);
  } catch (error) {
    throw new StateFileError(`${file} is not valid JSON (${(error as Error).message}). Move it away to start with no apps and tokens.`);
  }
  if (raw === undefined) return;
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new StateFileError(`${file} is not a GitHub emulator state file (${parsed.error.issues[0]?.message ?? 'unreadable'}). Move it away to start with no apps and tokens.`);
  }
  const data = parsed.data;
  state.advanceNextId(data.nextId);
  for (const saved of data.clients) {
    const owner = state.accounts.get(saved.owner);
    if (!owner) continue;
    const client: OAuthClient = {
      kind: saved.kind,
      clientId: saved.clientId,
      clientSecretHash: saved.clientSecretHash,
      name: saved.name,
      owner,
      callbackUrl: saved.callbackUrl,
      ...(saved.appId === undefined ? {} : { appId: saved.appId }),
      ...(saved.slug === undefined ? {} : { slug: saved.slug }),
      ...(saved.permissions === undefined ? {} : { permissions: saved.permissions }),
      installations: saved.installations.flatMap((installation) => {
        const account = state.accounts.get(installation.account);
        return account ? [{ id: installation.id, account, repositoryIds: new Set(installation.repositoryIds) }] : [];
      }),
    };
    state.clients.set(client.clientId, client);
  }
  for (const [hash, saved] of data.tokens) {
    const token: AccessToken = {
      kind: saved.kind,
      userId: saved.userId,
      scopes: saved.scopes,
      ...(saved.repositoryIds ? { repositoryIds: new Set(saved.repositoryIds) } : {}),
      ...(saved.permissions ? { permissions: saved.permissions } : {}),
      ...(saved.clientId === undefined ? {} : { clientId: saved.clientId }),
      expiresAt: saved.expiresAt,
      revoked: saved.revoked,
    };
    state.tokens.set(hash, token);
  }
  for (const [userId, byClient] of data.authorizations) state.authorizations.set(userId, new Map(byClient));
  refreshTokens.restore(data.refreshTokens);
}
