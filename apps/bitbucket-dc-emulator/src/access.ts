import { readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { DataCenterContext } from './context.ts';
import { permits, type AccessToken, type Repository, type RepositoryLevel, type User } from './state.ts';

export interface Principal {
  token: AccessToken;
  user: User;
}

/**
 * The token a request carries: `Authorization: Bearer …` (OAuth and HTTP access tokens), or
 * Basic with the token as password and the owner's user name (or `x-token-auth`) as user name.
 * 'invalid' for an unknown, revoked or expired token: Data Center answers 401.
 * https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html
 */
export function authenticate(context: DataCenterContext, req: Request): Principal | 'anonymous' | 'invalid' {
  const header = req.get('authorization');
  if (header === undefined) return 'anonymous';
  const bearer = /^bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  const basic = bearer === undefined ? readBasicCredentials(req) : undefined;
  const value = bearer ?? basic?.password;
  if (!value) return 'invalid';
  const token = context.state.findToken(value);
  if (!token || token.revoked) return 'invalid';
  if (token.expiresAt !== null && token.expiresAt <= context.clock.now()) return 'invalid';
  const user = context.state.users.get(token.userId);
  if (!user) return 'invalid';
  if (basic && basic.username !== user.name && basic.username !== 'x-token-auth') return 'invalid';
  return { token, user };
}

/** What a user (narrowed by the token) may do with a repository: see it, and at which level. */
export function repositoryLevel(principal: Principal, repo: Repository): 'none' | 'hidden_by_token' | RepositoryLevel {
  const role = repo.access.get(principal.user.id);
  if (!role) return 'none';
  const levels = ['REPO_READ', 'REPO_WRITE', 'REPO_ADMIN'] as const;
  const allowed = levels.filter((level) => levels.indexOf(level) <= levels.indexOf(role) && permits(principal.token.permissions, level));
  return allowed[allowed.length - 1] ?? 'hidden_by_token';
}
