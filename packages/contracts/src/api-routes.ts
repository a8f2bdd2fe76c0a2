import type { z } from 'zod';
import { SessionResponse, SignInRequest } from './auth.ts';
import { CreateRunnerRequest, CreateRunnerResponse, PingRunnerResponse, Runner, RunnerList } from './runners.ts';

/** Who may call a route. `public` needs no session; `member` any signed-in user; `admin` an org admin. */
export type Access = 'public' | 'member' | 'admin';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. /api/runners/:runnerId */
  path: string;
  access: Access;
  summary: string;
  request?: z.ZodType;
  response?: z.ZodType;
  /** Success has no body (204). */
  noContent?: boolean;
  /** Success creates something (201). */
  created?: boolean;
}

/**
 * The route table: one row per BFF endpoint. The BFF serves OpenAPI from it, and the access-control
 * test walks it, so a new route without a rule is caught.
 */
export const apiRoutes = {
  getSession: { method: 'get', path: '/api/auth/session', access: 'public', summary: 'Who is signed in', response: SessionResponse },
  signIn: { method: 'post', path: '/api/auth/sign-in', access: 'public', summary: 'Sign in with e-mail and password', request: SignInRequest, response: SessionResponse },
  signOut: { method: 'post', path: '/api/auth/sign-out', access: 'public', summary: 'Sign out', noContent: true },
  listRunners: { method: 'get', path: '/api/runners', access: 'member', summary: "The org's runners", response: RunnerList },
  createRunner: { method: 'post', path: '/api/runners', access: 'admin', summary: 'Set up a new runner; returns its one-time token', created: true, request: CreateRunnerRequest, response: CreateRunnerResponse },
  getRunner: { method: 'get', path: '/api/runners/:runnerId', access: 'member', summary: 'One runner', response: Runner },
  pingRunner: { method: 'post', path: '/api/runners/:runnerId/ping', access: 'member', summary: 'Round trip to the runner over its link', response: PingRunnerResponse },
} satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof apiRoutes;
