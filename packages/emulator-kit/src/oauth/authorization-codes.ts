import type { Clock } from '../clock.ts';
import { generateAlphanumeric, hashOpaqueToken } from './opaque-token.ts';
import { verifyCodeVerifier } from './pkce.ts';

/** RFC 6749 §4.1.2 recommends at most 10 minutes; GitHub's codes live 10 minutes. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface NewCode<G> {
  clientId: string;
  /** The redirect_uri sent to /authorize; null when none was sent. */
  redirectUri: string | null;
  /** The S256 code_challenge sent to /authorize, if any. */
  codeChallenge: string | null;
  /** What the code stands for: the user, the scopes, the app. Returned when it is redeemed. */
  grant: G;
}

export interface CodeRedemption {
  clientId: string;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
}

/** Why a code was refused, so each emulator can answer in its provider's words. */
export type CodeRefusal =
  | 'unknown'
  | 'expired'
  | 'used'
  | 'client_mismatch'
  | 'redirect_uri_mismatch'
  | 'verifier_missing'
  | 'verifier_mismatch';

interface StoredCode<G> extends NewCode<G> {
  expiresAt: number;
  used: boolean;
}

/**
 * Authorization codes held in memory (they live minutes): single use, bound to the client, the
 * redirect_uri and, when one was sent, the PKCE challenge (RFC 7636). Only hashes are kept.
 */
export class AuthorizationCodes<G> {
  private readonly codes = new Map<string, StoredCode<G>>();

  constructor(private readonly clock: Clock) {}

  issue(code: NewCode<G>, length = 20): string {
    this.sweep();
    const value = generateAlphanumeric(length);
    this.codes.set(hashOpaqueToken(value), {
      ...code,
      expiresAt: this.clock.now() + CODE_LIFETIME_MS,
      used: false,
    });
    return value;
  }

  /**
   * Redeems a code once. A code presented with the wrong client, redirect_uri or verifier is
   * spent all the same, so it cannot be tried again with other guesses.
   */
  redeem(value: string, request: CodeRedemption): { ok: true; grant: G } | { ok: false; reason: CodeRefusal } {
    const code = this.codes.get(hashOpaqueToken(value));
    if (!code) return { ok: false, reason: 'unknown' };
    if (code.used) return { ok: false, reason: 'used' };
    code.used = true;
    if (code.expiresAt <= this.clock.now()) return { ok: false, reason: 'expired' };
    if (code.clientId !== request.clientId) return { ok: false, reason: 'client_mismatch' };
    if (code.redirectUri !== null && request.redirectUri !== undefined && request.redirectUri !== code.redirectUri) {
      return { ok: false, reason: 'redirect_uri_mismatch' };
    }
    if (code.codeChallenge !== null) {
      if (request.codeVerifier === undefined) return { ok: false, reason: 'verifier_missing' };
      if (!verifyCodeVerifier(request.codeVerifier, code.codeChallenge)) {
        return { ok: false, reason: 'verifier_mismatch' };
      }
    }
    return { ok: true, grant: code.grant };
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [hash, code] of this.codes) if (code.expiresAt <= now) this.codes.delete(hash);
  }
}
