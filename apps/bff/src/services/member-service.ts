import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type {
  CreateInvitationRequest,
  CreateInvitationResponse,
  Invitation,
  InvitationPreview,
  Member,
  MemberList,
  OrgAuditLog,
  PasswordResetLink,
  PasswordResetPreview,
  Role,
  SessionUser,
} from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import type { Database, AccountLinksTable, UsersTable } from '../store/schema.ts';
import { dialectOf } from '../store/dialect.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { Logger } from '../logger.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import type { AuthService } from './auth-service.ts';
import type { OnMemberRemoved } from './member-offboarding.ts';
import { hashPassword, verifyPassword } from './password-hashing.ts';
import { createSecretToken, hashSecretToken } from './secret-tokens.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';

export const invitationLifetimeMs = 7 * 24 * 60 * 60 * 1000;
export const passwordResetLifetimeMs = 24 * 60 * 60 * 1000;

const lastAdminError = () =>
  new HttpError(409, 'conflict', 'An organization needs at least one admin. Make someone else an admin first.');
const linkGone = (what: 'invitation' | 'password-reset') =>
  new HttpError(
    404,
    'not_found',
    what === 'invitation'
      ? 'This invitation link does not work any more: it was used, revoked or has expired. Ask an admin of the organization for a new one.'
      : 'This password reset link does not work any more: it was used, replaced by a newer one, or has expired. Ask an admin for a new one.',
  );

function toMember(row: Pick<UsersTable, 'id' | 'name' | 'email' | 'role' | 'created_at'> & { sign_in_method?: unknown; last_seen_at?: string | null }): Member {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    signInMethod: row.sign_in_method === 'sso' ? 'sso' : 'password',
    lastSeenAt: row.last_seen_at ?? null,
    createdAt: row.created_at,
  };
}

function toInvitation(row: AccountLinksTable): Invitation {
  return { id: row.id, email: row.email, role: row.role ?? 'member', createdAt: row.created_at, expiresAt: row.expires_at, invitedBy: row.created_by_email };
}

export interface MemberServiceDeps {
  db: Db;
  auth: AuthService;
  audit: AuditStore;
  log: Logger;
  /** Where browsers reach the dashboard: links are built on it. */
  publicUrl: string;
  onMemberRemoved: OnMemberRemoved;
  /** Clears the per-account sign-in pause once a password is reset (the lockout points to a reset). */
  clearSignInPause?: (email: string) => Promise<void>;
}

export function createMemberService(deps: MemberServiceDeps) {
  const { db, auth, audit, log } = deps;

  /**
   * Changes that must never leave an organization without an admin run in one transaction that
   * first locks the organization's row (PostgreSQL; SQLite runs transactions one at a time), so two
   * admins demoting or removing each other at once cannot both succeed.
   */
  async function withOrgLocked<T>(orgId: string, run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return db.transaction().execute(async (trx) => {
      let lock = trx.selectFrom('orgs').select('id').where('id', '=', orgId);
      if (dialectOf(db) === 'postgres') lock = lock.forUpdate();
      if (!(await lock.executeTakeFirst())) throw notFound('The organization');
      return run(trx);
    });
  }

  async function otherAdmins(trx: Transaction<Database>, orgId: string, userId: string): Promise<number> {
    const row = await trx
      .selectFrom('users')
      .select(sql<number>`count(*)`.as('n'))
      .where('org_id', '=', orgId)
      .where('role', '=', 'admin')
      .where('id', '!=', userId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async function findMemberRow(orgId: string, userId: string) {
    const row = await db.selectFrom('users').selectAll().where('id', '=', userId).where('org_id', '=', orgId).executeTakeFirst();
    if (!row) throw notFound('The member');
    return row;
  }

  function linkUrl(path: string, token: string): string {
    return `${deps.publicUrl}${path}#${token}`;
  }

  /** A link by its token: unused, not revoked and not expired; or undefined. */
  async function findLiveLink(kind: AccountLinksTable['kind'], token: string) {
    return db
      .selectFrom('account_links')
      .selectAll()
      .where('token_hash', '=', hashSecretToken(token))
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date().toISOString())
      .executeTakeFirst();
  }

  function ssoOf(orgId: string) {
    return db.selectFrom('sso_settings').select(['display_name', 'require_sso']).where('org_id', '=', orgId).executeTakeFirst();
  }

  /** Mark a link used, once: the conditional update is the single-use check (one of two racers wins). */
  async function useLink(trx: Transaction<Database>, kind: AccountLinksTable['kind'], token: string) {
    const now = new Date().toISOString();
    const row = await trx
      .updateTable('account_links')
      .set({ used_at: now })
      .where('token_hash', '=', hashSecretToken(token))
      .where('kind', '=', kind)
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw linkGone(kind);
    return row;
  }

  return {
    async list(user: SessionUser): Promise<MemberList> {
      const members = await db
        .selectFrom('users')
        .selectAll()
        .where('org_id', '=', user.orgId)
        .orderBy('created_at', 'asc')
        .orderBy('id', 'asc')
        .limit(10_000)
        .execute();
      const invitations = await db
        .selectFrom('account_links')
        .selectAll()
        .where('org_id', '=', user.orgId)
        .where('kind', '=', 'invitation')
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date().toISOString())
        .orderBy('created_at', 'desc')
        .limit(1_000)
        .execute();
      return { members: members.map(toMember), invitations: invitations.map(toInvitation) };
    },

    async invite(user: SessionUser, body: CreateInvitationRequest): Promise<CreateInvitationResponse> {
      const existing = await db.selectFrom('users').select('org_id').where('email', '=', body.email).executeTakeFirst();
      if (existing) {
        throw new HttpError(409, 'conflict', existing.org_id === user.orgId ? `${body.email} is already a member.` : `${body.email} already has an account.`, {
          email: existing.org_id === user.orgId ? 'Already a member of this organization.' : 'This e-mail already has a Runner Console account.',
        });
      }
      const token = createSecretToken('rci');
      const now = new Date();
      const row: AccountLinksTable = {
        id: randomUUID(),
        org_id: user.orgId,
        kind: 'invitation',
        token_hash: hashSecretToken(token),
        email: body.email,
        role: body.role,
        user_id: null,
        created_by: user.id,
        created_by_email: user.email,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + invitationLifetimeMs).toISOString(),
        used_at: null,
        revoked_at: null,
      };
      await db.transaction().execute(async (trx) => {
        // A new invitation for the same e-mail replaces an earlier one: one live link per person.
        await trx
          .updateTable('account_links')
          .set({ revoked_at: now.toISOString() })
          .where('org_id', '=', user.orgId)
          .where('kind', '=', 'invitation')
          .where('email', '=', body.email)
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .execute();
        await trx.insertInto('account_links').values(row).execute();
      });
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'invitation.created', target: body.email, details: { role: body.role, expiresAt: row.expires_at } });
      // No mail server is configured (SMTP is not part of this release): the admin copies the link.
      return { invitation: toInvitation(row), url: linkUrl('/join', token), emailed: false };
    },

    async revokeInvitation(user: SessionUser, invitationId: string): Promise<void> {
      const row = await db
        .selectFrom('account_links')
        .selectAll()
        .where('id', '=', invitationId)
        .where('org_id', '=', user.orgId)
        .where('kind', '=', 'invitation')
        .executeTakeFirst();
      if (!row) throw notFound('The invitation');
      // Already revoked or used: what was asked for is true (a second click is fine).
      if (row.revoked_at || row.used_at) return;
      const revoked = await db
        .updateTable('account_links')
        .set({ revoked_at: new Date().toISOString() })
        .where('id', '=', invitationId)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(revoked.numUpdatedRows) > 0) {
        await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'invitation.revoked', target: row.email, details: {} });
      }
    },

    async previewInvitation(token: string): Promise<InvitationPreview> {
      const row = await findLiveLink('invitation', token);
      if (!row) throw linkGone('invitation');
      const org = await db.selectFrom('orgs').select('name').where('id', '=', row.org_id).executeTakeFirstOrThrow();
      const role = row.role ?? 'member';
      const sso = await ssoOf(row.org_id);
      return {
        orgName: org.name,
        email: row.email,
        role,
        expiresAt: row.expires_at,
        singleSignOn: sso ? { displayName: sso.display_name, required: Boolean(sso.require_sso) && role !== 'admin' } : null,
      };
    },

    /**
     * The invitee sets a name and password; the link is used up in the same transaction as the user
     * is created. A browser signed in as someone else is refused: the link is for a new person, and
     * quietly replacing the session would confuse who is who.
     */
    async acceptInvitation(current: SessionUser | undefined, body: { token: string; name: string; password: string }) {
      if (current) {
        throw new HttpError(409, 'conflict', `You are signed in as ${current.email}. Sign out first, then open the invitation link again.`);
      }
      const live = await findLiveLink('invitation', body.token);
      if (!live) throw linkGone('invitation');
      // "Require single sign-on" covers members who join, as it covers members who sign in.
      const sso = await ssoOf(live.org_id);
      if (sso?.require_sso && (live.role ?? 'member') !== 'admin') {
        throw new HttpError(403, 'forbidden', `Your organization signs in with ${sso.display_name}. Use "Join with ${sso.display_name}" instead of setting a password.`);
      }
      const passwordHash = await hashPassword(body.password);
      const userId = randomUUID();
      const link = await db.transaction().execute(async (trx) => {
        const used = await useLink(trx, 'invitation', body.token);
        const taken = await trx.selectFrom('users').select('id').where('email', '=', used.email).executeTakeFirst();
        if (taken) throw new HttpError(409, 'conflict', `${used.email} already has an account. Sign in instead.`);
        await trx
          .insertInto('users')
          .values({ id: userId, org_id: used.org_id, email: used.email, name: body.name, role: used.role ?? 'member', password_hash: passwordHash, created_at: new Date().toISOString() })
          .execute();
        return used;
      });
      await audit.record({ orgId: link.org_id, runnerId: null, actor: { id: userId, email: link.email }, action: 'invitation.accepted', target: link.email, details: { role: link.role, invitedBy: link.created_by_email } });
      return auth.startSession(userId);
    },

    async changeRole(user: SessionUser, userId: string, role: Role): Promise<Member> {
      const { before, after } = await withOrgLocked(user.orgId, async (trx) => {
        const row = await trx.selectFrom('users').selectAll().where('id', '=', userId).where('org_id', '=', user.orgId).executeTakeFirst();
        if (!row) throw notFound('The member');
        if (row.role === role) return { before: row, after: row };
        if (row.role === 'admin' && (await otherAdmins(trx, user.orgId, userId)) === 0) throw lastAdminError();
        await trx.updateTable('users').set({ role }).where('id', '=', userId).execute();
        return { before: row, after: { ...row, role } };
      });
      if (before.role !== after.role) {
        await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'member.role_changed', target: after.email, details: { from: before.role, to: after.role } });
        // The member's cached sessions carry the old role: drop them so the next request reads the new one.
        await auth.forgetSessionsOf(userId);
      }
      return toMember(after);
    },

    /**
     * Remove a member: the account goes (its sessions, environments and Connect flows with it, by
     * the database's cascades), every instance drops its cached sessions at once, and offboarding
     * starts. Never the last admin.
     */
    async remove(user: SessionUser, userId: string): Promise<void> {
      const removed = await withOrgLocked(user.orgId, async (trx) => {
        const row = await trx.selectFrom('users').selectAll().where('id', '=', userId).where('org_id', '=', user.orgId).executeTakeFirst();
        if (!row) throw notFound('The member');
        if (row.role === 'admin' && (await otherAdmins(trx, user.orgId, userId)) === 0) throw lastAdminError();
        await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
        await trx.deleteFrom('users').where('id', '=', userId).execute();
        return row;
      });
      await auth.forgetSessionsOf(userId);
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'member.removed', target: removed.email, details: { role: removed.role, name: removed.name } });
      await deps.onMemberRemoved(user.orgId, userId, { userEmail: removed.email, actor: user }).catch((err: Error) => log.warn({ err: err.message, userId }, 'offboarding a removed member failed'));
    },

    async createPasswordReset(user: SessionUser, userId: string): Promise<PasswordResetLink> {
      const member = await findMemberRow(user.orgId, userId);
      const token = createSecretToken('rcr');
      const now = new Date();
      const expiresAt = new Date(now.getTime() + passwordResetLifetimeMs).toISOString();
      await db.transaction().execute(async (trx) => {
        // One live reset link per member: a new one replaces the last.
        await trx
          .updateTable('account_links')
          .set({ revoked_at: now.toISOString() })
          .where('user_id', '=', userId)
          .where('kind', '=', 'password-reset')
          .where('used_at', 'is', null)
          .where('revoked_at', 'is', null)
          .execute();
        await trx
          .insertInto('account_links')
          .values({
            id: randomUUID(),
            org_id: user.orgId,
            kind: 'password-reset',
            token_hash: hashSecretToken(token),
            email: member.email,
            role: null,
            user_id: userId,
            created_by: user.id,
            created_by_email: user.email,
            created_at: now.toISOString(),
            expires_at: expiresAt,
            used_at: null,
            revoked_at: null,
          })
          .execute();
      });
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'password_reset.created', target: member.email, details: { expiresAt } });
      return { url: linkUrl('/reset-password', token), expiresAt };
    },

    async previewPasswordReset(token: string): Promise<PasswordResetPreview> {
      const row = await findLiveLink('password-reset', token);
      if (!row) throw linkGone('password-reset');
      return { email: row.email, expiresAt: row.expires_at };
    },

    /** Set the password, end every session of the account, and lift a sign-in pause. */
    async completePasswordReset(body: { token: string; password: string }): Promise<void> {
      if (!(await findLiveLink('password-reset', body.token))) throw linkGone('password-reset');
      const passwordHash = await hashPassword(body.password);
      const link = await db.transaction().execute(async (trx) => {
        const used = await useLink(trx, 'password-reset', body.token);
        if (!used.user_id) throw linkGone('password-reset');
        await trx.updateTable('users').set({ password_hash: passwordHash, sign_in_method: 'password' }).where('id', '=', used.user_id).execute();
        return used;
      });
      if (!link.user_id) return;
      await auth.endSessionsOf(link.user_id);
      await deps.clearSignInPause?.(link.email);
      await audit.record({ orgId: link.org_id, runnerId: null, actor: { id: link.user_id, email: link.email }, action: 'password_reset.completed', target: link.email, details: { createdBy: link.created_by_email } });
    },

    /** Everyone's own password: the current one first; their other sessions end, this one stays. */
    async changeOwnPassword(user: SessionUser, sessionToken: string | undefined, body: { currentPassword: string; newPassword: string }): Promise<void> {
      const row = await db.selectFrom('users').select(['password_hash', 'sign_in_method']).where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(body.currentPassword, row.password_hash))) {
        throw new HttpError(400, 'validation_failed', 'Your current password is not right.', { currentPassword: 'This is not your current password.' });
      }
      if (body.newPassword === body.currentPassword) {
        throw new HttpError(400, 'validation_failed', 'Choose a new password that differs from the current one.', { newPassword: 'This is your current password.' });
      }
      await db.updateTable('users').set({ password_hash: await hashPassword(body.newPassword) }).where('id', '=', user.id).execute();
      await auth.endSessionsOf(user.id, sessionToken);
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'password.changed', target: user.email, details: {} });
    },

    async auditLog(user: SessionUser, limit: number, cursor: string | undefined): Promise<OrgAuditLog> {
      const after = decodeCursor(cursor, ['number'] as const);
      const rows = await audit.listForOrg(user.orgId, limit + 1, after?.[0]);
      const page = pageOf(rows, limit, (row) => [row.seq]);
      return {
        entries: page.items.map((row) => ({
          id: row.id,
          at: row.at,
          actor: row.actor_email,
          action: row.action,
          target: row.target,
          details: JSON.parse(row.details) as Record<string, unknown>,
          runnerId: row.runner_id,
          runnerName: row.runner_name ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  };
}
export type MemberService = ReturnType<typeof createMemberService>;
