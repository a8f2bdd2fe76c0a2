import type { Request, Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import type { Session } from '../store/session-store.ts';
import type { User } from '../store/user-store.ts';

export interface SignedIn {
  session: Session;
  user: User;
}

/** The signed-in user, or undefined after redirecting the browser to the log-in page. */
export function requireSignedIn(
  context: EmulatorContext,
  req: Request,
  res: Response,
): SignedIn | undefined {
  const current = context.sessions.read(req);
  if (current?.user) return { session: current.session, user: current.user };
  res.redirect(302, signInPath(req.originalUrl));
  return undefined;
}

export function signInPath(next: string): string {
  return `/account/signin/?next=${encodeURIComponent(next)}`;
}

/** Only same-site paths are followed after log-in, never another origin (no open redirect). */
export function safeNextPath(next: unknown): string {
  if (
    typeof next !== 'string' ||
    !next.startsWith('/') ||
    next.startsWith('//') ||
    next.startsWith('/\\')
  )
    return '/';
  return next;
}
