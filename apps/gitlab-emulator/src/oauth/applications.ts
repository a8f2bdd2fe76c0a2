import { constantTimeEquals, hashOpaqueToken, readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { Application, GitLabState } from '../state.ts';

export type ClientCheck = { ok: true; application: Application } | { ok: false };

/**
 * Doorkeeper's client authentication: the secret in the body (`client_secret`) or HTTP Basic.
 * A confidential application needs its secret; a public one (Confidential unticked) may send none,
 * and then must use PKCE. https://docs.gitlab.com/api/oauth2/
 */
export function authenticateClient(state: GitLabState, req: Request, body: Record<string, unknown>): ClientCheck {
  const basic = readBasicCredentials(req);
  const uid = basic?.username ?? body.client_id;
  const secret = basic?.password ?? body.client_secret;
  if (typeof uid !== 'string') return { ok: false };
  const application = state.applications.get(uid);
  if (!application) return { ok: false };
  if (typeof secret === 'string') return constantTimeEquals(application.secretHash, hashOpaqueToken(secret)) ? { ok: true, application } : { ok: false };
  return application.confidential ? { ok: false } : { ok: true, application };
}

/** GitLab splits `scope` on spaces; an empty scope means the application's scopes. */
export function parseScopeParameter(value: unknown, application: Application): string[] {
  if (typeof value !== 'string' || value.trim() === '') return [...application.scopes];
  return [...new Set(value.split(/\s+/).filter((scope) => scope.length > 0))];
}
