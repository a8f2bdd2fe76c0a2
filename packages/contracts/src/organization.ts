import * as z from 'zod/mini';
import { Role } from './auth.ts';
import { NextCursor } from './pagination.ts';
import { noForbiddenCharacters } from './text-input.ts';

/**
 * The organization: first-run set-up, members, invitations, password resets and the org-wide audit
 * log. Links (invitation, password reset) carry a secret token in their #fragment, so it never
 * reaches a server log or a Referer header; the page sends it in a JSON body.
 */

export const newPasswordMinLength = 12;

/**
 * The rule for every password a person chooses (set-up, invitation, reset, change): at least 12
 * characters, as OWASP's Authentication Cheat Sheet and NIST SP 800-63B advise for passwords without
 * a second factor; long passphrases are welcome (up to 256). No composition rules (NIST says not to).
 */
export const NewPassword = z
  .string()
  .check(
    z.minLength(newPasswordMinLength, { error: `Use at least ${newPasswordMinLength} characters. A few unrelated words make a good password.` }),
    z.maxLength(256, { error: 'Keep the password under 256 characters.' }),
    noForbiddenCharacters,
  );

export const PersonName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Enter your name.' }),
    z.maxLength(100, { error: 'Keep the name under 100 characters.' }),
    noForbiddenCharacters,
  );

export const OrgName = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: "Enter your organization's name." }),
    z.maxLength(100, { error: 'Keep the name under 100 characters.' }),
    noForbiddenCharacters,
  );

export const EmailAddress = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.maxLength(254, { error: 'That e-mail address is too long.' }),
    z.regex(z.regexes.email, { error: 'Enter an e-mail address, like you@company.com.' }),
  );

/** A link's secret token (set-up codes, invitation and reset tokens): pasted, so trimmed. */
const LinkToken = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'This link is incomplete. Open the whole link you were sent.' }),
    z.maxLength(200, { error: 'This link is not valid.' }),
    noForbiddenCharacters,
  );

export const SetupCode = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: "Enter the set-up code from Runner Console's log." }),
    z.maxLength(64, { error: 'That is not a set-up code.' }),
    noForbiddenCharacters,
  );

/** GET /api/setup while the deployment has no user yet (404 once it has). */
export const SetupStatus = z.object({ setupNeeded: z.literal(true) });
export type SetupStatus = z.infer<typeof SetupStatus>;

function passwordNotEmail(value: { email: string; password: string }) {
  return value.password.trim().toLowerCase() !== value.email.trim().toLowerCase();
}
const passwordNotEmailError = { error: 'Choose a password that is not your e-mail address.', path: ['password'] };

export const SetupRequest = z
  .object({ orgName: OrgName, name: PersonName, email: EmailAddress, password: NewPassword, code: SetupCode })
  .check(z.refine(passwordNotEmail, passwordNotEmailError));
export type SetupRequest = z.infer<typeof SetupRequest>;

export const SignInMethod = z.enum(['password', 'sso']);
export type SignInMethod = z.infer<typeof SignInMethod>;

export const Member = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: Role,
  signInMethod: SignInMethod,
  /** The last request of any of their sessions (to the minute); null when they never signed in since. */
  lastSeenAt: z.nullable(z.string()),
  createdAt: z.string(),
});
export type Member = z.infer<typeof Member>;

export const Invitation = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  createdAt: z.string(),
  expiresAt: z.string(),
  invitedBy: z.nullable(z.string()),
});
export type Invitation = z.infer<typeof Invitation>;

/** GET /api/members: the members and the invitations not yet accepted, revoked or expired. */
export const MemberList = z.object({ members: z.array(Member), invitations: z.array(Invitation) });
export type MemberList = z.infer<typeof MemberList>;

export const CreateInvitationRequest = z.object({ email: EmailAddress, role: Role });
export type CreateInvitationRequest = z.infer<typeof CreateInvitationRequest>;

/** The link is shown once: only a hash of its token is kept. */
export const CreateInvitationResponse = z.object({ invitation: Invitation, url: z.string(), emailed: z.boolean() });
export type CreateInvitationResponse = z.infer<typeof CreateInvitationResponse>;

export const LinkTokenRequest = z.object({ token: LinkToken });
export type LinkTokenRequest = z.infer<typeof LinkTokenRequest>;

/**
 * `singleSignOn`: the organization's identity provider when it set one up, for "Join with <name>";
 * `required` when the invitee must join through it (a member invitation under "Require single sign-on").
 */
export const InvitationPreview = z.object({
  orgName: z.string(),
  email: z.string(),
  role: Role,
  expiresAt: z.string(),
  singleSignOn: z.nullable(z.object({ displayName: z.string(), required: z.boolean() })),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;

export const AcceptInvitationRequest = z.object({ token: LinkToken, name: PersonName, password: NewPassword });
export type AcceptInvitationRequest = z.infer<typeof AcceptInvitationRequest>;

export const UpdateMemberRequest = z.object({ role: Role });
export type UpdateMemberRequest = z.infer<typeof UpdateMemberRequest>;

export const PasswordResetLink = z.object({ url: z.string(), expiresAt: z.string() });
export type PasswordResetLink = z.infer<typeof PasswordResetLink>;

export const PasswordResetPreview = z.object({ email: z.string(), expiresAt: z.string() });
export type PasswordResetPreview = z.infer<typeof PasswordResetPreview>;

export const CompletePasswordResetRequest = z.object({ token: LinkToken, password: NewPassword });
export type CompletePasswordResetRequest = z.infer<typeof CompletePasswordResetRequest>;

export const ChangePasswordRequest = z.object({
  currentPassword: z.string().check(z.minLength(1, { error: 'Enter your current password.' }), z.maxLength(256, { error: 'That password is too long.' }), noForbiddenCharacters),
  newPassword: NewPassword,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequest>;

/** One entry of the organization's audit log: org events (runnerId null) and every runner's. */
export const OrgAuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.nullable(z.string()),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
  runnerId: z.nullable(z.string()),
  /** The runner's current name; null for org events and for runners deleted since. */
  runnerName: z.nullable(z.string()),
});
export type OrgAuditEntry = z.infer<typeof OrgAuditEntry>;
export const OrgAuditLog = z.object({ entries: z.array(OrgAuditEntry), nextCursor: NextCursor });
export type OrgAuditLog = z.infer<typeof OrgAuditLog>;
