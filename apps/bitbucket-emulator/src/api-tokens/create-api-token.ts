import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.ts';
import { MAX_API_TOKEN_LIFETIME_MS, type ApiToken } from '../store/api-token-store.ts';
import type { User } from '../store/user-store.ts';
import { apiTokenScopeSchema, type ApiTokenScope } from './api-token-scopes.ts';

export type ApiTokenFieldErrors = Partial<Record<'name' | 'scopes' | 'expiresAt', string>>;

export class ApiTokenInputError extends Error {
  constructor(readonly fields: ApiTokenFieldErrors) {
    super(Object.values(fields).join(' '));
  }
}

export const apiTokenInputSchema = z.object({
  name: z.string().trim().max(100).optional(),
  scopes: z.array(apiTokenScopeSchema).max(50),
  /** An ISO date or date-time; a bare date means the end of that day (UTC), as the form's date picker. */
  expiresAt: z.string().min(1).max(40),
});
export type ApiTokenInput = z.infer<typeof apiTokenInputSchema>;

/** What "Create API token with scopes" does: at least one scope, and an expiry within a year. */
export function createApiToken(context: EmulatorContext, user: User, input: ApiTokenInput): { token: string; record: ApiToken } {
  const fields: ApiTokenFieldErrors = {};
  const now = context.clock.now();
  const expiresAt = parseExpiry(input.expiresAt);
  if (input.scopes.length === 0) fields.scopes = 'Select at least one scope.';
  if (expiresAt === undefined) fields.expiresAt = 'Enter an expiry date.';
  else if (expiresAt <= now) fields.expiresAt = 'The expiry date must be in the future.';
  else if (expiresAt > now + MAX_API_TOKEN_LIFETIME_MS + 86_400_000) fields.expiresAt = 'API tokens can last at most one year.';
  if (Object.keys(fields).length > 0) throw new ApiTokenInputError(fields);
  return context.apiTokens.create({
    userId: user.id,
    name: input.name || 'API token',
    scopes: input.scopes as ApiTokenScope[],
    expiresAt: expiresAt!,
    now,
  });
}

function parseExpiry(value: string): number | undefined {
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
