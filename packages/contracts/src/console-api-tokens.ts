import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';

/**
 * API tokens for automation (issue 27): an admin makes one for CI or Terraform, which then calls
 * the same /api with `Authorization: Bearer rcat_…`. Named "console API tokens" in code because
 * api-tokens.ts is about a provider's personal access tokens (Bitbucket API tokens), another thing.
 */

/** The prefix every token starts with, so a leaked one is recognizable (secret scanners, logs). */
export const consoleApiTokenPrefix = 'rcat';

/** At most a year: a token that never expires is the one nobody remembers to revoke. */
export const consoleApiTokenMaxDays = 365;

export const ConsoleApiTokenName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Name the token after what uses it, like "CI pipeline" or "Terraform".' }),
    z.maxLength(80, { error: 'Use at most 80 characters for the name.' }),
    noForbiddenCharacters,
  );

export const CreateConsoleApiTokenRequest = z.strictObject({
  name: ConsoleApiTokenName,
  expiresInDays: z
    .number({ error: `Choose when the token expires: 1 to ${consoleApiTokenMaxDays} days from now.` })
    .check(
      z.int({ error: 'Give the expiry as a whole number of days.' }),
      z.gte(1, { error: 'A token must be valid for at least 1 day.' }),
      z.lte(consoleApiTokenMaxDays, { error: `A token can be valid for at most ${consoleApiTokenMaxDays} days (a year).` }),
    ),
});
export type CreateConsoleApiTokenRequest = z.infer<typeof CreateConsoleApiTokenRequest>;

export const ConsoleApiToken = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  /** Updated at most once a minute, so a busy pipeline does not write on every call. */
  lastUsedAt: z.nullable(z.string()),
  revokedAt: z.nullable(z.string()),
  /** The admin who made it: the token acts with their current role, in their organization. */
  createdBy: z.object({ name: z.string(), email: z.string() }),
});
export type ConsoleApiToken = z.infer<typeof ConsoleApiToken>;

export const ConsoleApiTokenList = z.object({ tokens: z.array(ConsoleApiToken) });
export type ConsoleApiTokenList = z.infer<typeof ConsoleApiTokenList>;

/** The token itself is in this answer only: only its SHA-256 is kept. */
export const CreateConsoleApiTokenResponse = z.object({ token: ConsoleApiToken, secret: z.string() });
export type CreateConsoleApiTokenResponse = z.infer<typeof CreateConsoleApiTokenResponse>;
