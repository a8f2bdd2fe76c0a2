import { hashOpaqueToken } from '@runner-console/emulator-kit';

export interface User {
  id: number;
  login: string;
  name: string;
  email: string;
  password: string;
  createdAt: string;
}

/** An account that owns repositories: a user, or an organization such as acme. */
export interface Account {
  id: number;
  login: string;
  type: 'User' | 'Organization';
}

export type RepositoryRole = 'read' | 'write' | 'admin';

export interface Repository {
  id: number;
  owner: Account;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  /** The repository this one is a fork of. */
  parentId: number | null;
  /** Users and their role; a private fork's readers also include its parent's. */
  collaborators: Map<number, RepositoryRole>;
  createdAt: string;
}

export interface PullRequest {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  body: string;
  userId: number;
  headRepositoryId: number;
  headRef: string;
  baseRef: string;
  createdAt: string;
}

/** The permissions a fine-grained token or a GitHub App asks for: "contents": "write", … */
export type PermissionLevel = 'read' | 'write';
export type Permissions = Readonly<Record<string, PermissionLevel>>;

export interface Installation {
  id: number;
  account: Account;
  repositoryIds: Set<number>;
}

/** An OAuth App, or a GitHub App (which has an app id, a slug, permissions and installations). */
export interface OAuthClient {
  kind: 'oauth-app' | 'github-app';
  clientId: string;
  clientSecretHash: string;
  name: string;
  owner: Account;
  callbackUrl: string;
  appId?: number;
  slug?: string;
  permissions?: Permissions;
  installations: Installation[];
}

export type TokenKind = 'oauth' | 'classic' | 'fine-grained' | 'app-user';

export interface AccessToken {
  kind: TokenKind;
  userId: number;
  /** OAuth and classic tokens: the scopes they carry. */
  scopes: readonly string[];
  /** Fine-grained tokens: the repositories they reach and their permissions. */
  repositoryIds?: ReadonlySet<number>;
  permissions?: Permissions;
  /** OAuth and App user tokens: the app's client id (for revoking its grant). */
  clientId?: string;
  /** Epoch milliseconds; null for tokens that never expire. */
  expiresAt: number | null;
  revoked: boolean;
}

/** What an authorization or a refresh token stands for. */
export interface UserGrant {
  userId: number;
  clientId: string;
  scopes: readonly string[];
}

/** A GitHub App refresh token's grant: the access token it came with, revoked when it is used. */
export interface AppRefreshGrant extends UserGrant {
  accessTokenHash: string;
}

/**
 * The emulator's data, held in memory: users, accounts, repositories, pull requests, apps and
 * tokens. Git repositories live on disk; the seed makes users, repositories and pull requests again
 * at each start, and state-file.ts keeps apps and tokens across restarts.
 */
export class GitHubState {
  readonly users = new Map<number, User>();
  readonly accounts = new Map<string, Account>();
  readonly repositories = new Map<number, Repository>();
  readonly pulls: PullRequest[] = [];
  readonly clients = new Map<string, OAuthClient>();
  /** By token hash; only hashes are kept. */
  readonly tokens = new Map<string, AccessToken>();
  /** user id → client ids the user has authorized (so consent is asked once). */
  readonly authorizations = new Map<number, Map<string, readonly string[]>>();
  private nextId = 1000;

  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  peekNextId(): number {
    return this.nextId;
  }

  /** After loading saved state: ids already given out are never given again. */
  advanceNextId(atLeast: number): void {
    this.nextId = Math.max(this.nextId, atLeast);
  }

  findUserByLogin(login: string): User | undefined {
    const wanted = login.toLowerCase();
    return [...this.users.values()].find((user) => user.login.toLowerCase() === wanted);
  }

  /** GitHub owner and repository names are case-insensitive. */
  findRepository(owner: string, name: string): Repository | undefined {
    const o = owner.toLowerCase();
    const n = name.toLowerCase().replace(/\.git$/, '');
    return [...this.repositories.values()].find(
      (repo) => repo.owner.login.toLowerCase() === o && repo.name.toLowerCase() === n,
    );
  }

  findRepositoryByFullName(fullName: string): Repository | undefined {
    const [owner = '', name = '', ...rest] = fullName.split('/');
    return rest.length === 0 ? this.findRepository(owner, name) : undefined;
  }

  findToken(value: string): AccessToken | undefined {
    return this.tokens.get(hashOpaqueToken(value));
  }

  addToken(value: string, token: AccessToken): void {
    this.tokens.set(hashOpaqueToken(value), token);
  }

  /** The user's own role on a repository, private forks inheriting their parent's readers. */
  roleOf(userId: number, repository: Repository): RepositoryRole | undefined {
    const own = repository.collaborators.get(userId);
    if (own) return own;
    if (repository.parentId !== null) {
      const parent = this.repositories.get(repository.parentId);
      if (parent && this.roleOf(userId, parent)) return 'read';
    }
    return repository.private ? undefined : 'read';
  }

  /** Installs a GitHub App on repositories: one installation per owning account, added to. */
  installApp(client: OAuthClient, repositories: readonly Repository[]): void {
    for (const repo of repositories) {
      const existing = client.installations.find((installation) => installation.account.id === repo.owner.id);
      const installation = existing ?? { id: this.newId(), account: repo.owner, repositoryIds: new Set<number>() };
      installation.repositoryIds.add(repo.id);
      if (!existing) client.installations.push(installation);
    }
  }

  /** Revokes a user's tokens for an app (DELETE /applications/{client_id}/grant). */
  revokeGrant(userId: number, clientId: string): number {
    let revoked = 0;
    for (const token of this.tokens.values()) {
      if (token.userId === userId && token.clientId === clientId && !token.revoked) {
        token.revoked = true;
        revoked += 1;
      }
    }
    this.authorizations.get(userId)?.delete(clientId);
    return revoked;
  }
}
