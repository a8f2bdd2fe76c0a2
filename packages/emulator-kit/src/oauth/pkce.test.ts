import { describe, expect, it } from 'vitest';
import { isCodeChallenge, s256Challenge, verifyCodeVerifier } from './pkce.ts';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('PKCE S256', () => {
  it("matches RFC 7636's example", () => {
    expect(s256Challenge(VERIFIER)).toBe(CHALLENGE);
    expect(isCodeChallenge(CHALLENGE)).toBe(true);
    expect(verifyCodeVerifier(VERIFIER, CHALLENGE)).toBe(true);
  });

  it('refuses another verifier, a verifier too short, and a plain challenge', () => {
    expect(verifyCodeVerifier(`${VERIFIER}x`, CHALLENGE)).toBe(false);
    expect(verifyCodeVerifier('short', s256Challenge('short'))).toBe(false);
    expect(verifyCodeVerifier(VERIFIER, VERIFIER)).toBe(false);
    expect(isCodeChallenge('not a digest')).toBe(false);
  });
});
