// Entra's signed JWTs: RS256 with a `kid` the tenant's JWKS lists
// (https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference,
// https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference).
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export interface TokenSigner {
  jwks(): { keys: JWK[] };
  /** The private key and its kid, for the state file: tokens signed before a restart still verify after it. */
  exportKey(): Promise<{ kid: string; privateJwk: JWK }>;
  sign(claims: JWTPayload, options: { issuer: string; audience: string; subject: string; expiresInSeconds: number; now: number }): Promise<string>;
  /** The claims of a token this emulator signed, or null (bad signature, wrong audience, expired at `now`). */
  verify(token: string, options: { audience: string; now: number }): Promise<JWTPayload | null>;
}

export async function createTokenSigner(saved?: { kid: string; privateJwk: JWK }): Promise<TokenSigner> {
  const { privateKey, publicKey } = saved
    ? {
        privateKey: (await importJWK(saved.privateJwk, 'RS256', { extractable: true })) as CryptoKey,
        publicKey: (await importJWK({ kty: saved.privateJwk.kty, n: saved.privateJwk.n, e: saved.privateJwk.e }, 'RS256')) as CryptoKey,
      }
    : await generateKeyPair('RS256', { extractable: true });
  const kid = saved?.kid ?? randomUUID().replace(/-/g, '').slice(0, 27);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256' };
  return {
    jwks: () => ({ keys: [publicJwk] }),
    exportKey: async () => ({ kid, privateJwk: await exportJWK(privateKey) }),
    async sign(claims, options) {
      const iat = Math.floor(options.now / 1000);
      return new SignJWT({ ...claims, iat, nbf: iat, exp: iat + options.expiresInSeconds })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(options.subject)
        .sign(privateKey as CryptoKey);
    },
    async verify(token, options) {
      try {
        const { payload } = await jwtVerify(token, publicKey as CryptoKey, { audience: options.audience, currentDate: new Date(options.now), algorithms: ['RS256'] });
        return payload;
      } catch {
        return null;
      }
    },
  };
}
