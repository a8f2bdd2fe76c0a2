import type { Request } from 'express';
import type { SessionUser } from '@runner-console/contracts';
import { forbidden, unauthenticated } from './http-error.ts';

/** What the session middleware learned about the caller, kept on res.locals-free request state. */
const users = new WeakMap<Request, SessionUser>();

/** Requests authenticated by an API token (Authorization: Bearer): no cookie, no CSRF check. */
const bearerRequests = new WeakSet<Request>();

export function markBearerRequest(req: Request): void {
  bearerRequests.add(req);
}

export function isBearerRequest(req: Request): boolean {
  return bearerRequests.has(req);
}

export function setRequestUser(req: Request, user: SessionUser): void {
  users.set(req, user);
}

export function findRequestUser(req: Request): SessionUser | undefined {
  return users.get(req);
}

export function requireUser(req: Request): SessionUser {
  const user = users.get(req);
  if (!user) throw unauthenticated();
  return user;
}

export function requireAdmin(req: Request): SessionUser {
  const user = requireUser(req);
  if (user.role !== 'admin') throw forbidden();
  return user;
}
