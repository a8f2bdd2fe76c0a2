import { randomUUID } from 'node:crypto';
import {
  consoleApiTokenPrefix,
  type ConsoleApiToken,
  type CreateConsoleApiTokenRequest,
  type CreateConsoleApiTokenResponse,
  type SessionUser,
} from '@runner-console/contracts';
import type { AuditStore } from '../store/audit-store.ts';
import type { ConsoleApiTokenRow, ConsoleApiTokensStore } from '../store/console-api-tokens-store.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import { createSecretToken, hashSecretToken } from './secret-tokens.ts';

/** last_used_at is written at most this often per token: a busy pipeline must not write on every call. */
export const lastUsedWriteIntervalMs = 60_000;
const dayMs = 24 * 60 * 60 * 1000;

/** Why a bearer token was refused; each answers 401 with its own message. */
export type ConsoleApiTokenRefusal = 'unknown' | 'revoked' | 'expired';

export function createConsoleApiTokenService(deps: { store: ConsoleApiTokensStore; audit: AuditStore; now?: () => number }) {
  const { store, audit } = deps;
  const now = deps.now ?? Date.now;

  function toApi(row: ConsoleApiTokenRow): ConsoleApiToken {
    return {
      id: row.id,
      name: row.name,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastUsedAt: row.last_used_at,
      revokedAt: row.revoked_at,
      createdBy: { name: row.creator_name, email: row.creator_email },
    };
  }

  return {
    async list(user: SessionUser): Promise<{ tokens: ConsoleApiToken[] }> {
      return { tokens: (await store.listForOrg(user.orgId)).map(toApi) };
    },

    async create(user: SessionUser, body: CreateConsoleApiTokenRequest): Promise<CreateConsoleApiTokenResponse> {
      const secret = createSecretToken(consoleApiTokenPrefix);
      const at = now();
      const id = randomUUID();
      await store.insert({
        id,
        org_id: user.orgId,
        created_by: user.id,
        name: body.name,
        token_hash: hashSecretToken(secret),
        created_at: new Date(at).toISOString(),
        expires_at: new Date(at + body.expiresInDays * dayMs).toISOString(),
        last_used_at: null,
        revoked_at: null,
      });
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'api_token.created', target: body.name, details: { tokenId: id, expiresInDays: body.expiresInDays } });
      const row = await store.find(user.orgId, id);
      if (!row) throw new Error('API token vanished after insert');
      return { token: toApi(row), secret };
    },

    /** Safe twice: revoking a revoked token answers the same, and records nothing new. */
    async revoke(user: SessionUser, id: string): Promise<void> {
      const row = await store.find(user.orgId, id);
      if (!row) throw notFound('This API token');
      if (row.revoked_at) return;
      await store.revoke(user.orgId, id, new Date(now()).toISOString());
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'api_token.revoked', target: row.name, details: { tokenId: id } });
    },

    /**
     * The user a bearer token acts as: its creator with their role and organization as they are now,
     * read on every request (a demoted creator's token acts as a member; a removed creator's row is
     * gone, and with it the token).
     */
    async resolve(token: string): Promise<{ user: SessionUser } | { refused: ConsoleApiTokenRefusal }> {
      if (!token.startsWith(`${consoleApiTokenPrefix}_`) || token.length > 200) return { refused: 'unknown' };
      const row = await store.findByHash(hashSecretToken(token));
      if (!row || row.user_org_id !== row.org_id) return { refused: 'unknown' };
      if (row.revoked_at) return { refused: 'revoked' };
      const at = now();
      if (at >= Date.parse(row.expires_at)) return { refused: 'expired' };
      if (!row.last_used_at || at - Date.parse(row.last_used_at) >= lastUsedWriteIntervalMs) await store.touch(row.id, new Date(at).toISOString());
      return {
        user: { id: row.user_id, email: row.email, name: row.user_name, role: row.role, orgId: row.org_id, orgName: row.org_name, apiToken: { id: row.id, name: row.name } },
      };
    },
  };
}
export type ConsoleApiTokenService = ReturnType<typeof createConsoleApiTokenService>;

export function refusalError(reason: ConsoleApiTokenRefusal): HttpError {
  const messages: Record<ConsoleApiTokenRefusal, string> = {
    unknown: 'This API token is not valid. Check that the whole token was copied, or make a new one in Settings › API tokens.',
    revoked: 'This API token was revoked. Make a new one in Settings › API tokens.',
    expired: 'This API token has expired. Make a new one in Settings › API tokens.',
  };
  return new HttpError(401, 'unauthenticated', messages[reason]);
}
