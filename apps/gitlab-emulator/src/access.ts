import { readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { GitLabContext } from './context.ts';
import type { AccessLevel, AccessToken, Project, User } from './state.ts';

export interface Principal {
  token: AccessToken;
  user: User;
}

/**
 * The token a request carries: `Authorization: Bearer …` (OAuth and personal access tokens),
 * `PRIVATE-TOKEN: …`, or Basic with the token as password (git, any user name; `oauth2` for
 * OAuth tokens). https://docs.gitlab.com/api/rest/authentication/
 * 'invalid' for an unknown, revoked or expired token: GitLab answers `401 {"message":"401 Unauthorized"}`.
 */
export function authenticate(context: GitLabContext, req: Request): Principal | 'anonymous' | 'invalid' {
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '')?.[1];
  const privateToken = req.get('private-token');
  const value = bearer ?? privateToken ?? readBasicCredentials(req)?.password;
  if (value === undefined) return req.get('authorization') === undefined ? 'anonymous' : 'invalid';
  const token = context.state.findToken(value);
  if (!token || token.revoked) return 'invalid';
  if (token.expiresAt !== null && token.expiresAt <= context.clock.now()) return 'invalid';
  const user = context.state.users.get(token.userId);
  return user ? { token, user } : 'invalid';
}

/**
 * Which scopes let a token do what (https://docs.gitlab.com/user/profile/personal_access_tokens/#personal-access-token-scopes):
 * `api` everything; `read_api` every GET of the API; `read_user` the user's own profile;
 * `read_repository` git clone (pull); `write_repository` git push (and pull).
 */
export function tokenAllows(token: AccessToken, need: 'read_user' | 'read_api' | 'git_pull' | 'git_push'): boolean {
  const has = (scope: string) => token.scopes.includes(scope);
  if (has('api')) return true;
  switch (need) {
    case 'read_user':
      return has('read_user') || has('read_api');
    case 'read_api':
      return has('read_api');
    case 'git_pull':
      return has('read_repository') || has('write_repository');
    case 'git_push':
      return has('write_repository');
  }
}

/** The scopes GitLab names in an `insufficient_scope` answer. */
export const SCOPES_FOR: Readonly<Record<'read_user' | 'read_api', string>> = {
  read_user: 'api read_api read_user',
  read_api: 'api read_api',
};

/** What a user can do with a project: see it (Guest and up, or public), pull (Reporter), push (Developer). */
export function projectAccess(context: GitLabContext, principal: Principal | undefined, project: Project): { visible: boolean; level: AccessLevel | 0 } {
  if (!principal) return project.visibility === 'public' ? { visible: true, level: 10 } : { visible: false, level: 0 };
  const level = context.state.accessLevelOf(principal.user.id, project) ?? 0;
  return { visible: level > 0, level };
}
