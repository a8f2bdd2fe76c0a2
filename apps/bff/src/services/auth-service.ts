import { randomUUID } from 'node:crypto';
import type { SessionUser } from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import type { ClusterBus } from '../store/cluster-bus.ts';
import { HttpError } from '../http/http-error.ts';
import { decoyPasswordHash, verifyPassword } from './password-hashing.ts';
import { createSecretToken, hashSecretToken } from './secret-tokens.ts';

export const sessionIdleMs = 12 * 60 * 60 * 1000;
export const sessionMaxMs = 7 * 24 * 60 * 60 * 1000;
/**
 * A resolved session is reused for this long without asking the database again: the two lookups per
 * request were most of an API call's cost. Sign-out drops it at once, on every instance (over the
 * cluster bus); a session ended some other way (a deleted user) stops working within this time.
 */
export const sessionCacheMs = 2_000;
const sessionCacheMax = 10_000;

interface CachedSession {
  user: SessionUser;
  lastUsedAt: number;
  expiresAt: number;
  cachedAt: number;
}

const sessionTopic = 'cache.sessions';
/** A user's sessions all ended (removed, password reset): every instance drops them from its cache. */
const userSessionsTopic = 'cache.sessions.user';

export function createAuthService(db: Db, bus?: ClusterBus) {
  const cache = new Map<string, CachedSession>();
  bus?.subscribe(sessionTopic, (idHash) => void cache.delete(idHash as string));
  bus?.subscribe(userSessionsTopic, (userId) => forgetCachedSessionsOf(userId as string));
  function forgetCachedSessionsOf(userId: string, exceptIdHash?: string) {
    for (const [idHash, entry] of cache) if (entry.user.id === userId && idHash !== exceptIdHash) cache.delete(idHash);
  }
  bus?.onResync(() => cache.clear());
  async function signIn(email: string, password: string): Promise<{ sessionToken: string; user: SessionUser }> {
    const row = await db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? (await decoyPasswordHash));
    if (!row || !ok) {
      throw new HttpError(401, 'unauthenticated', 'That e-mail and password do not match an account. Check them and try again.');
    }
    // "Require single sign-on" stops password sign-in for members; admins keep it as a way back in.
    // Checked only after the password matched, so it tells nothing to someone without it.
    if (row.role !== 'admin') {
      const sso = await db.selectFrom('sso_settings').select(['display_name', 'require_sso']).where('org_id', '=', row.org_id).executeTakeFirst();
      if (sso?.require_sso) {
        throw new HttpError(403, 'forbidden', `Your organization signs in with ${sso.display_name}. Use "Sign in with ${sso.display_name}" instead of your password.`);
      }
    }
    return startSession(row.id);
  }

  /** A new session for a user who has just proved who they are (password, single sign-on, set-up, an accepted invitation). */
  async function startSession(userId: string): Promise<{ sessionToken: string; user: SessionUser }> {
    const sessionToken = createSecretToken('rcs');
    const now = new Date();
    await db
      .insertInto('sessions')
      .values({
        id_hash: hashSecretToken(sessionToken),
        user_id: userId,
        created_at: now.toISOString(),
        last_used_at: now.toISOString(),
        expires_at: new Date(now.getTime() + sessionMaxMs).toISOString(),
      })
      .execute();
    await db.updateTable('users').set({ last_seen_at: now.toISOString() }).where('id', '=', userId).execute();
    const user = await findSessionUser(userId);
    if (!user) throw new Error('user vanished during sign-in');
    return { sessionToken, user };
  }

  /**
   * End a user's sessions (all, or all but the caller's own) at once on every instance: the rows go,
   * and each instance drops its cached copies (over the cluster bus), so the next request is a 401.
   */
  async function endSessionsOf(userId: string, exceptSessionToken?: string): Promise<void> {
    const keep = exceptSessionToken ? hashSecretToken(exceptSessionToken) : undefined;
    let query = db.deleteFrom('sessions').where('user_id', '=', userId);
    if (keep) query = query.where('id_hash', '!=', keep);
    await query.execute();
    forgetCachedSessionsOf(userId, keep);
    // Awaited: the answer leaves only once every other instance has been told.
    await bus?.publish(userSessionsTopic, userId);
  }

  /** After a user was deleted: drop their cached sessions here and on every other instance. */
  async function forgetSessionsOf(userId: string): Promise<void> {
    forgetCachedSessionsOf(userId);
    await bus?.publish(userSessionsTopic, userId);
  }

  async function findSessionUser(userId: string): Promise<SessionUser | undefined> {
    const row = await db
      .selectFrom('users')
      .innerJoin('orgs', 'orgs.id', 'users.org_id')
      .select(['users.id', 'users.email', 'users.name', 'users.role', 'users.org_id', 'orgs.name as org_name'])
      .where('users.id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    return { id: row.id, email: row.email, name: row.name, role: row.role, orgId: row.org_id, orgName: row.org_name };
  }

  /** The user behind a session cookie, or undefined when it is unknown, idle too long or expired. */
  async function resolveSession(sessionToken: string): Promise<SessionUser | undefined> {
    const idHash = hashSecretToken(sessionToken);
    const now = Date.now();
    const cached = cache.get(idHash);
    // A cached session due for its once-a-minute touch goes back to the database.
    if (cached && now - cached.cachedAt < sessionCacheMs && now - cached.lastUsedAt <= 60_000 && now <= cached.expiresAt) return cached.user;
    cache.delete(idHash);
    const resolved = await resolveSessionFromDb(idHash, now);
    if (!resolved) return undefined;
    if (cache.size >= sessionCacheMax) cache.clear();
    cache.set(idHash, { ...resolved, cachedAt: now });
    return resolved.user;
  }

  async function resolveSessionFromDb(idHash: string, now: number): Promise<Omit<CachedSession, 'cachedAt'> | undefined> {
    const session = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!session) return undefined;
    let lastUsedAt = Date.parse(session.last_used_at);
    const expiresAt = Date.parse(session.expires_at);
    if (now - lastUsedAt > sessionIdleMs || now > expiresAt) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      return undefined;
    }
    // Touch at most once a minute: the sliding idle window does not need a write per request.
    if (now - lastUsedAt > 60_000) {
      await db.updateTable('sessions').set({ last_used_at: new Date(now).toISOString() }).where('id_hash', '=', idHash).execute();
      await db.updateTable('users').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', session.user_id).execute();
      lastUsedAt = now;
    }
    const user = await findSessionUser(session.user_id);
    return user ? { user, lastUsedAt, expiresAt } : undefined;
  }

  async function signOut(sessionToken: string): Promise<void> {
    const idHash = hashSecretToken(sessionToken);
    cache.delete(idHash);
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    await bus?.publish(sessionTopic, idHash);
  }

  return { signIn, signOut, startSession, endSessionsOf, forgetSessionsOf, resolveSession, findSessionUser, newId: randomUUID };
}
export type AuthService = ReturnType<typeof createAuthService>;
