import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Clock } from '../clock.ts';
import { constantTimeEquals, hashOpaqueToken } from '../oauth/opaque-token.ts';

const ANONYMOUS_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SIGNED_IN_LIFETIME_MS = 14 * 24 * 60 * 60 * 1000;

export interface MemorySession {
  /** The signed-in user's id, or null before signing in. */
  userId: number | null;
  csrfToken: string;
  expiresAt: number;
}

/**
 * Cookie sessions for an emulator's pages, held in memory (a restart signs everyone out, as
 * clearing cookies would). Every session has its own CSRF token, sent back by forms in a hidden
 * field; signing in replaces the session id, so a planted cookie is never carried into a
 * signed-in session.
 */
export class MemorySessions {
  private readonly sessions = new Map<string, MemorySession>();

  constructor(
    private readonly cookieName: string,
    private readonly clock: Clock,
    private readonly secureCookies: boolean,
  ) {}

  read(req: Request): MemorySession | undefined {
    const id = readCookie(req, this.cookieName);
    if (!id) return undefined;
    const session = this.sessions.get(hashOpaqueToken(id));
    if (!session) return undefined;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(hashOpaqueToken(id));
      return undefined;
    }
    return session;
  }

  ensure(req: Request, res: Response): MemorySession {
    return this.read(req) ?? this.start(res, null, ANONYMOUS_LIFETIME_MS);
  }

  signIn(req: Request, res: Response, userId: number): MemorySession {
    this.end(req);
    return this.start(res, userId, SIGNED_IN_LIFETIME_MS);
  }

  signOut(req: Request, res: Response): void {
    this.end(req);
    res.clearCookie(this.cookieName, { path: '/' });
  }

  verifyCsrf(session: MemorySession, submitted: unknown): boolean {
    return (
      typeof submitted === 'string' &&
      submitted.length > 0 &&
      constantTimeEquals(session.csrfToken, submitted)
    );
  }

  private start(res: Response, userId: number | null, lifetimeMs: number): MemorySession {
    const id = randomBytes(32).toString('base64url');
    const session: MemorySession = {
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: this.clock.now() + lifetimeMs,
    };
    this.sessions.set(hashOpaqueToken(id), session);
    res.cookie(this.cookieName, id, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secureCookies,
      path: '/',
      maxAge: lifetimeMs,
    });
    return session;
  }

  private end(req: Request): void {
    const id = readCookie(req, this.cookieName);
    if (id) this.sessions.delete(hashOpaqueToken(id));
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
