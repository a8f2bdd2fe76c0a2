import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';

export const Role = z.enum(['admin', 'member']);
export type Role = z.infer<typeof Role>;

export const SignInRequest = z.object({
  email: z
    .email({ error: 'Enter an e-mail address, like you@company.com.' })
    .check(z.maxLength(254, { error: 'That e-mail address is too long.' })),
  password: z
    .string()
    .check(
      z.minLength(1, { error: 'Enter your password.' }),
      z.maxLength(256, { error: 'That password is too long.' }),
      noForbiddenCharacters,
    ),
});
export type SignInRequest = z.infer<typeof SignInRequest>;

export const SessionUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  orgId: z.string(),
  orgName: z.string(),
  /**
   * Set when the request came with an API token (`Authorization: Bearer rcat_…`) instead of a
   * session: the token's id and name, which the audit log shows beside its creator.
   */
  apiToken: z.optional(z.object({ id: z.string(), name: z.string() })),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** GET /api/auth/session: who is signed in (user null when nobody is). */
export const SessionResponse = z.object({ user: z.nullable(SessionUser) });
export type SessionResponse = z.infer<typeof SessionResponse>;
