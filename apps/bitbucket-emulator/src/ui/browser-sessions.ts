import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '@runner-console/emulator-kit';
import { constantTimeEquals, hashOpaqueToken } from '@runner-console/emulator-kit';
import type { Session, SessionStore } from '../store/session-store.ts';
import type { User, UserStore } from '../store/user-store.ts';

const COOKIE_NAME = 'bb_emulator_session';
const ANONYMOUS_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SIGNED_IN_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export interface BrowserSession {
  session: Session;
  user: User | undefined;
}

/**
 * Cookie sessions for the emulator's web pages. Every session, signed in or not, has its own
 * CSRF token that forms send back in a hidden field (synchroniser token pattern). Signing in
 * replaces the session id, so a planted cookie cannot be carried into a signed-in session.
 */
export class BrowserSessions {
  constructor(
    private readonly store: SessionStore,
    private readonly users: UserStore,
    private readonly clock: Clock,
    private readonly secureCookies: boolean,
  ) {}

  /** The request's session, if its cookie names a live one. */
  read(req: Request): BrowserSession | undefined {
    const id = readCookie(req, COOKIE_NAME);
    if (!id) return undefined;
    const session = this.store.find(hashOpaqueToken(id), this.clock.now());
    if (!session) return undefined;
    const user = session.userId === null ? undefined : this.users.findById(session.userId);
    return { session, user };
  }

  /** The request's session, starting an anonymous one (with a cookie) when there is none. */
  ensure(req: Request, res: Response): BrowserSession {
    return (
      this.read(req) ?? { session: this.start(res, null, ANONYMOUS_LIFETIME_MS), user: undefined }
    );
  }

  signIn(req: Request, res: Response, user: User): void {
    this.end(req);
    this.start(res, user.id, SIGNED_IN_LIFETIME_MS);
  }

  signOut(req: Request, res: Response): void {
    this.end(req);
    res.clearCookie(COOKIE_NAME, { path: '/' });
  }

  /** Whether the form's csrf_token field matches the session's token. */
  verifyCsrf(session: Session, submitted: unknown): boolean {
    return (
      typeof submitted === 'string' &&
      submitted.length > 0 &&
      constantTimeEquals(session.csrfToken, submitted)
    );
  }

  private start(res: Response, userId: number | null, lifetimeMs: number): Session {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: Session = {
      idHash: hashOpaqueToken(id),
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: now + lifetimeMs,
    };
    this.store.create(session, now);
    res.cookie(COOKIE_NAME, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      path: '/',
      maxAge: lifetimeMs,
    });
    return session;
  }

  private end(req: Request): void {
    const id = readCookie(req, COOKIE_NAME);
    if (id) this.store.delete(hashOpaqueToken(id));
  }
}

function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}
