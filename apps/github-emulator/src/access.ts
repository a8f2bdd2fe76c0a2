import { readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { GitHubContext } from './context.ts';
import type { AccessToken, OAuthClient, PermissionLevel, Repository, User } from './state.ts';

export interface Principal {
  token: AccessToken;
  user: User;
}

/**
 * The token a request carries: `Authorization: token …` or `Bearer …` (REST), or Basic with the
 * token as password (git, where GitHub ignores the user name). 'invalid' for an unknown,
 * revoked or expired token, which GitHub answers 401 "Bad credentials".
 */
export function authenticate(context: GitHubContext, req: Request): Principal | 'anonymous' | 'invalid' {
  const header = req.get('authorization');
  if (header === undefined) return 'anonymous';
  const scheme = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header);
  const value = scheme?.[1] ?? readBasicCredentials(req)?.password;
  if (!value) return 'invalid';
  const token = context.state.findToken(value);
  if (!token || token.revoked) return 'invalid';
  if (token.expiresAt !== null && token.expiresAt <= context.clock.now()) return 'invalid';
  const user = context.state.users.get(token.userId);
  return user ? { token, user } : 'invalid';
}

export type ContentsAccess = 'none' | 'read' | 'write';

/** What a token can do with a repository: see it (metadata) and read or write its contents. */
export interface RepositoryAccess {
  visible: boolean;
  contents: ContentsAccess;
  /** The user's own role, for `permissions` in the repository's JSON. */
  admin: boolean;
}

const NO_ACCESS: RepositoryAccess = { visible: false, contents: 'none', admin: false };

/**
 * The access a token has: the user's role, narrowed by what the token may do. OAuth and classic
 * tokens need `repo` for private repositories (`public_repo` writes public ones). Fine-grained
 * tokens reach only their repositories, with their `contents` permission. GitHub App user tokens
 * reach only repositories the app is installed on, with the app's `contents` permission
 * (https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-with-a-github-app-on-behalf-of-a-user).
 */
export function repositoryAccess(
  context: GitHubContext,
  principal: Principal | undefined,
  repo: Repository,
): RepositoryAccess {
  if (!principal) {
    return repo.private ? NO_ACCESS : { visible: true, contents: 'read', admin: false };
  }
  const role = context.state.roleOf(principal.user.id, repo);
  if (!role) return NO_ACCESS;
  const userWrites = role === 'write' || role === 'admin';
  const admin = role === 'admin';
  const { token } = principal;
  switch (token.kind) {
    case 'oauth':
    case 'classic': {
      const repoScope = token.scopes.includes('repo');
      if (repo.private && !repoScope) return NO_ACCESS;
      const writes = userWrites && (repoScope || token.scopes.includes('public_repo'));
      return { visible: true, contents: writes ? 'write' : 'read', admin };
    }
    case 'fine-grained': {
      if (!token.repositoryIds?.has(repo.id)) {
        return repo.private ? NO_ACCESS : { visible: true, contents: 'read', admin: false };
      }
      return { visible: true, contents: narrow(token.permissions?.contents, userWrites), admin };
    }
    case 'app-user': {
      const client = token.clientId === undefined ? undefined : context.state.clients.get(token.clientId);
      if (!client || !isInstalledOn(client, repo)) return NO_ACCESS;
      return { visible: true, contents: narrow(client.permissions?.contents, userWrites), admin };
    }
  }
}

function narrow(level: PermissionLevel | undefined, userWrites: boolean): ContentsAccess {
  if (level === 'write') return userWrites ? 'write' : 'read';
  return level === 'read' ? 'read' : 'none';
}

export function isInstalledOn(client: OAuthClient, repo: Repository): boolean {
  return client.installations.some((installation) => installation.repositoryIds.has(repo.id));
}

/**
 * Whether a token may use an endpoint family that needs a permission beyond repository access:
 * fine-grained tokens and GitHub Apps need it granted (`pull_requests`, `email_addresses` /
 * `emails`); OAuth and classic tokens need one of `scopes` (none: always allowed).
 */
export function hasPermission(
  context: GitHubContext,
  principal: Principal,
  permission: { fineGrained: string; app: string; scopes: readonly string[] },
): boolean {
  const { token } = principal;
  switch (token.kind) {
    case 'oauth':
    case 'classic':
      return permission.scopes.length === 0 || permission.scopes.some((scope) => token.scopes.includes(scope));
    case 'fine-grained':
      return token.permissions?.[permission.fineGrained] !== undefined;
    case 'app-user': {
      const client = token.clientId === undefined ? undefined : context.state.clients.get(token.clientId);
      return client?.permissions?.[permission.app] !== undefined;
    }
  }
}
