import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';
import { RunnerPublicJwk } from './runners.ts';

/**
 * Personal access tokens (Bitbucket API tokens): the developer's second way to connect. The token
 * is sealed in the browser to the runner's key, bound to runner, host and user (packages/envelope);
 * the BFF only forwards the ciphertext; the runner opens, checks and stores it.
 */

export const ConnectionMethod = z.enum(['oauth', 'api_token']);
export type ConnectionMethod = z.infer<typeof ConnectionMethod>;

/** Like Ona's `supports_oauth2`. */
export const SupportsOAuth2 = z.object({
  /** Where Connect starts (the BFF's flow entry); add `csrf` and open it in a popup or this tab. */
  authUrl: z.string(),
  docsUrl: z.nullable(z.string()),
});

/** Like Ona's `supports_pat`: where to create a token, the guide, and the scopes to tick. */
export const SupportsPat = z.object({
  createUrl: z.string(),
  docsUrl: z.string(),
  requiredScopes: z.array(z.string()),
  /** Longest lifetime the provider allows, in days (its catalogue entry's `apiTokens.maxLifetimeDays`). */
  maxLifetimeDays: z.number(),
  /** The runner's current key: the browser seals the token to it. Null until the runner registered one. */
  publicKey: z.nullable(RunnerPublicJwk),
  /** The caller's user id: the envelope's user binding (with the runner id and host). */
  userId: z.string(),
});
export type SupportsPat = z.infer<typeof SupportsPat>;

const Email = z
  .string()
  .check(
    z.trim(),
    z.minLength(3, { error: 'Enter the e-mail address of your account.' }),
    z.maxLength(320, { error: 'That e-mail address is too long.' }),
    noForbiddenCharacters,
    z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { error: 'Enter the e-mail address of your account.' }),
  );
/** YYYY-MM-DD, as the token form showed it. */
const ExpiryDate = z
  .string()
  .check(z.regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Enter the expiry date you chose when you created the token.' }));
const TokenEnvelope = z
  .string()
  .check(
    z.minLength(1, { error: 'Paste the API token.' }),
    z.maxLength(8192, { error: 'The encrypted token is too large.' }),
    z.regex(/^[A-Za-z0-9_.-]+$/, { error: 'The encrypted token is damaged. Paste the token again.' }),
  );

/** POST /api/runners/:runnerId/api-tokens: the token arrives sealed; the BFF never sees it. */
export const ConnectApiTokenRequest = z.strictObject({
  host: z.string().check(z.trim(), z.minLength(1), z.maxLength(253), noForbiddenCharacters),
  /** The account e-mail, for providers whose token form asks for it; absent for the others. */
  email: z.optional(Email),
  tokenEnvelope: TokenEnvelope,
  /** The expiry the developer chose, where the provider does not say it; absent for the others. */
  expiresOn: z.optional(ExpiryDate),
});
export type ConnectApiTokenRequest = z.infer<typeof ConnectApiTokenRequest>;

export const ConnectApiTokenResponse = z.object({
  host: z.string(),
  method: ConnectionMethod,
  accountName: z.string(),
  accountUsername: z.nullable(z.string()),
  email: z.nullable(z.string()),
  scopes: z.array(z.string()),
  expiresAt: z.nullable(z.string()),
  /** "Bitbucket is now connected as Alice (API token, expires 1 March 2027)." */
  message: z.string(),
});
export type ConnectApiTokenResponse = z.infer<typeof ConnectApiTokenResponse>;

/** How many developers' token connections turning tokens off would delete. */
export const ApiTokenConnectionCount = z.object({
  /** Null when the runner could not be asked (offline): it deletes them when it reconnects. */
  count: z.nullable(z.number()),
});
export type ApiTokenConnectionCount = z.infer<typeof ApiTokenConnectionCount>;

// ---- runner link methods ----

export const ConnectApiTokenParams = z.object({
  userId: z.string().check(z.maxLength(100)),
  host: z.string().check(z.maxLength(253)),
  email: z.string().check(z.maxLength(320)),
  tokenEnvelope: z.string().check(z.maxLength(8192)),
  expiresOn: z.string().check(z.maxLength(10)),
});
export const ConnectApiTokenResult = z.object({
  accountName: z.string(),
  accountUsername: z.nullable(z.string()),
  email: z.nullable(z.string()),
  scopes: z.array(z.string()),
  expiresAt: z.nullable(z.string()),
});
export type ConnectApiTokenResult = z.infer<typeof ConnectApiTokenResult>;

/** Refusals of connectApiToken, each with the form field it belongs to. */
export const ApiTokenRefusalCode = z.enum([
  'token_refused',
  'wrong_email',
  'missing_scope',
  'app_password',
  'token_malformed',
  'token_expired',
  'envelope_refused',
]);
export const apiTokenRefusalField: Record<z.infer<typeof ApiTokenRefusalCode>, 'email' | 'token' | 'expiresOn'> = {
  token_refused: 'token',
  wrong_email: 'email',
  missing_scope: 'token',
  app_password: 'token',
  token_malformed: 'token',
  token_expired: 'expiresOn',
  envelope_refused: 'token',
};

export const CountApiTokensParams = z.object({ integrationId: z.string() });
export const CountApiTokensResult = z.object({ count: z.number() });
