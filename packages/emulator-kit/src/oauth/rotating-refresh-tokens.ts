import type { Clock } from '../clock.ts';
import { generateAlphanumeric, hashOpaqueToken } from './opaque-token.ts';

export type RefreshRefusal = 'unknown' | 'used' | 'expired' | 'revoked' | 'client_mismatch';

export interface StoredRefreshToken<G> {
  clientId: string;
  grant: G;
  expiresAt: number;
  used: boolean;
  revoked: boolean;
}

/**
 * Refresh tokens that rotate: each use answers a new one and the used one never works again.
 * The check-and-mark is synchronous, so of two requests with the same token exactly one wins
 * (Node runs one at a time). Held in memory; only hashes are kept.
 */
export class RotatingRefreshTokens<G> {
  private readonly tokens = new Map<string, StoredRefreshToken<G>>();

  constructor(
    private readonly clock: Clock,
    private readonly lifetimeMs: number,
    private readonly prefix = '',
  ) {}

  issue(clientId: string, grant: G): { value: string; expiresInSeconds: number } {
    const value = `${this.prefix}${generateAlphanumeric(this.prefix ? 76 : 40)}`;
    this.tokens.set(hashOpaqueToken(value), {
      clientId,
      grant,
      expiresAt: this.clock.now() + this.lifetimeMs,
      used: false,
      revoked: false,
    });
    return { value, expiresInSeconds: Math.round(this.lifetimeMs / 1000) };
  }

  /** Spends a refresh token; the caller issues the new pair with the grant it answers. */
  use(value: string, clientId: string): { ok: true; grant: G } | { ok: false; reason: RefreshRefusal } {
    const token = this.tokens.get(hashOpaqueToken(value));
    if (!token) return { ok: false, reason: 'unknown' };
    if (token.clientId !== clientId) return { ok: false, reason: 'client_mismatch' };
    if (token.revoked) return { ok: false, reason: 'revoked' };
    if (token.used) return { ok: false, reason: 'used' };
    if (token.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    token.used = true;
    return { ok: true, grant: token.grant };
  }

  /** Revokes every token whose grant matches (a revoked grant, a removed user). */
  revokeWhere(matches: (grant: G, clientId: string) => boolean): number {
    let count = 0;
    for (const token of this.tokens.values()) {
      if (!token.revoked && matches(token.grant, token.clientId)) {
        token.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  /** Every token by hash, for an emulator that keeps its state in a file. */
  snapshot(): Array<[string, StoredRefreshToken<G>]> {
    return [...this.tokens].map(([hash, token]) => [hash, { ...token }]);
  }

  restore(entries: ReadonlyArray<[string, StoredRefreshToken<G>]>): void {
    this.tokens.clear();
    for (const [hash, token] of entries) this.tokens.set(hash, { ...token });
  }

  /** Test knob: unused tokens expire now. */
  expireWhere(matches: (grant: G) => boolean): number {
    let count = 0;
    const now = this.clock.now();
    for (const token of this.tokens.values()) {
      if (!token.used && !token.revoked && matches(token.grant)) {
        token.expiresAt = now;
        count += 1;
      }
    }
    return count;
  }
}
