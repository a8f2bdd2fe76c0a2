import { generateAccessTokenValue } from '@runner-console/emulator-kit';
import type { DataCenterContext } from './context.ts';
import type { User } from './state.ts';

/**
 * A personal HTTP access token: its permissions (REPO_READ, REPO_WRITE, PROJECT_READ, …) narrow
 * what the user may do, and it expires after `expiryDays` (null: never).
 * https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html
 */
export function issueAccessToken(context: DataCenterContext, user: User, request: { name: string; permissions: readonly string[]; expiryDays: number | null }): { value: string; id: string; expiresAt: string | null } {
  // Data Center's tokens are 44 characters of base64 (a 12-digit id and a secret).
  const value = generateAccessTokenValue().slice(0, 44);
  const id = String(100_000_000_000 + context.state.tokensOf(user.id).length);
  const now = context.clock.now();
  const expiresAt = request.expiryDays === null ? null : now + request.expiryDays * 86_400_000;
  context.state.addToken(value, { kind: 'http', userId: user.id, permissions: request.permissions, clientId: null, expiresAt, revoked: false, id, name: request.name, createdDate: now });
  return { value, id, expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString() };
}
