import type { EmulatorContext } from '../emulator-context.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { AccessToken } from '../store/oauth-store.ts';
import type { User } from '../store/user-store.ts';
import { hashOpaqueToken } from '@runner-console/emulator-kit';

export type AccessTokenCheck =
  | { ok: true; token: AccessToken; user: User; consumer: Consumer }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

/** Looks up a bearer token; only a live, unrevoked token of an existing consumer and user passes. */
export function verifyAccessToken(context: EmulatorContext, value: string): AccessTokenCheck {
  const token = context.oauth.findAccessTokenByHash(hashOpaqueToken(value));
  if (!token) return { ok: false, reason: 'unknown' };
  if (token.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (token.expiresAt <= context.clock.now()) return { ok: false, reason: 'expired' };
  const user = context.users.findById(token.userId);
  const consumer = context.consumers.findById(token.consumerId);
  if (!user || !consumer) return { ok: false, reason: 'unknown' };
  return { ok: true, token, user, consumer };
}
