import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';

/**
 * Single sign-on with any OpenID Connect provider (issue 27 item 3), one configuration per
 * organization. The client secret goes in and never comes out: answers say only whether it is set.
 */

const isLoopbackHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host.endsWith('.localhost');

/** https, except on a loopback address (tests and local trials). No query or fragment: discovery appends a path. */
export const SsoIssuerUrl = z.string().check(
  z.trim(),
  z.minLength(1, { error: 'Enter the issuer URL, like https://login.acme.com or https://acme.okta.com.' }),
  z.maxLength(500, { error: 'The issuer URL is too long.' }),
  noForbiddenCharacters,
  z.refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) && !url.search && !url.hash && !url.username && !url.password;
      } catch {
        return false;
      }
    },
    { error: 'Enter an https:// URL without ?query or #fragment (http:// works only on localhost, for trials).' },
  ),
);

const SsoClientId = z.string().check(
  z.trim(),
  z.minLength(1, { error: 'Enter the client ID your identity provider gave this app.' }),
  z.maxLength(500, { error: 'The client ID is too long.' }),
  noForbiddenCharacters,
);

const SsoClientSecret = z.string().check(
  z.trim(),
  z.minLength(1, { error: 'Enter the client secret.' }),
  z.maxLength(2000, { error: 'The client secret is too long.' }),
  noForbiddenCharacters,
);

/** An e-mail domain such as acme.com (lowercase; a leading @ is accepted and removed). */
export const SsoEmailDomain = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.overwrite((value) => value.replace(/^@/, '')),
  z.regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: 'Enter a domain such as acme.com, without @ or spaces.' }),
);

export const SsoDisplayName = z.string().check(
  z.trim(),
  z.minLength(1, { error: 'Name the provider as people know it, like "Okta" or "Acme login".' }),
  z.maxLength(60, { error: 'Use at most 60 characters.' }),
  noForbiddenCharacters,
);

export const SaveSsoSettingsRequest = z.strictObject({
  displayName: SsoDisplayName,
  issuerUrl: SsoIssuerUrl,
  clientId: SsoClientId,
  /** Omit to keep the secret already saved. */
  clientSecret: z.optional(SsoClientSecret),
  allowedDomains: z
    .array(SsoEmailDomain)
    .check(z.minLength(1, { error: 'Add at least one e-mail domain, such as acme.com.' }), z.maxLength(50, { error: 'At most 50 domains.' })),
  /** Members sign in only through single sign-on; admins keep their password as a way back in. */
  requireSso: z.boolean(),
});
export type SaveSsoSettingsRequest = z.infer<typeof SaveSsoSettingsRequest>;

export const SsoSettings = z.object({
  configured: z.boolean(),
  displayName: z.nullable(z.string()),
  issuerUrl: z.nullable(z.string()),
  clientId: z.nullable(z.string()),
  /** Never the secret itself. */
  clientSecretSet: z.boolean(),
  allowedDomains: z.array(z.string()),
  requireSso: z.boolean(),
  /** What to register at the identity provider as the redirect (callback) URI. */
  redirectUri: z.string(),
  updatedAt: z.nullable(z.string()),
});
export type SsoSettings = z.infer<typeof SsoSettings>;

/** What the sign-in page offers: "Sign in with <name>" per organization that configured it. */
export const SignInOptions = z.object({
  singleSignOn: z.array(z.object({ orgId: z.string(), orgName: z.string(), displayName: z.string() })),
});
export type SignInOptions = z.infer<typeof SignInOptions>;

export const SsoStartQuery = z.object({ org: z.string().check(z.minLength(1), z.maxLength(100)) });

/** Why a single sign-on attempt ended on the sign-in page (`/sign-in?sso_error=…`). */
export const SsoErrorCode = z.enum(['not_configured', 'expired', 'state_mismatch', 'provider_error', 'email_unverified', 'domain_not_allowed', 'other_organization', 'invitation_email_mismatch', 'invitation_gone', 'failed']);

/** Where the browser goes next to join by invitation through single sign-on (the provider's authorize URL). */
export const SsoRedirect = z.object({ redirectTo: z.string() });
export type SsoRedirect = z.infer<typeof SsoRedirect>;
export type SsoErrorCode = z.infer<typeof SsoErrorCode>;

export const ssoErrorMessages: Record<SsoErrorCode, string> = {
  not_configured: 'Single sign-on is not set up for this organization any more. Sign in with your password, or ask an admin.',
  expired: 'That sign-in took too long or was already used. Start again with the single sign-on button.',
  state_mismatch: 'That sign-in did not start in this browser, so it was refused. Start again with the single sign-on button.',
  provider_error: 'Your identity provider did not complete the sign-in. Try again, or ask an admin to check the single sign-on settings.',
  email_unverified: 'Your identity provider has not verified your e-mail address, so Runner Console cannot trust it. Verify it there, then try again.',
  domain_not_allowed: 'Your e-mail domain is not allowed to sign in to this organization. Ask an admin to invite you or to add your domain.',
  other_organization: 'Your e-mail address belongs to an account in another organization. Sign in there with your password.',
  invitation_email_mismatch: 'Your identity provider signed you in with another e-mail address than the one the invitation is for, so the invitation was not used. Open the invitation link again and sign in at your identity provider with the invited address, or ask an admin to invite the address you use there.',
  invitation_gone: 'That invitation does not work any more: it was used, revoked or has expired. Ask an admin of the organization for a new one.',
  failed: 'Single sign-on failed. Try again; if it keeps failing, ask an admin.',
};
