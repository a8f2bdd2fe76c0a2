import { constantTimeEquals, hashOpaqueToken } from '@runner-console/emulator-kit';

/**
 * Bitbucket Data Center's permissions, in order: each implies those before it. OAuth scopes of
 * an incoming application link and HTTP access token permissions use the same names
 * (https://confluence.atlassian.com/bitbucketserver/oauth-2-0-scopes-for-incoming-links-1115665625.html,
 * https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html).
 */
export const REPOSITORY_LEVELS = ['PUBLIC_REPOS', 'REPO_READ', 'REPO_WRITE', 'REPO_ADMIN'] as const;
export type RepositoryLevel = (typeof REPOSITORY_LEVELS)[number];
export const KNOWN_PERMISSIONS = [...REPOSITORY_LEVELS, 'PROJECT_READ', 'PROJECT_WRITE', 'PROJECT_ADMIN', 'ACCOUNT_WRITE', 'ADMIN_WRITE', 'SYS_ADMIN'] as const;

export interface User {
  id: number;
  /** The user name (`name`), which X-AUSERNAME carries. */
  name: string;
  slug: string;
  displayName: string;
  emailAddress: string;
  password: string;
}

export interface Project {
  id: number;
  key: string;
  name: string;
  type: 'NORMAL' | 'PERSONAL';
  /** PERSONAL projects: their owner. */
  ownerId: number | null;
}

export interface Repository {
  id: number;
  projectKey: string;
  slug: string;
  name: string;
  description: string;
  defaultBranch: string;
  /** A fork: the repository it was forked from. */
  originId: number | null;
  /** What each user may do here (their permission, without tokens narrowing it). */
  access: Map<number, 'REPO_READ' | 'REPO_WRITE' | 'REPO_ADMIN'>;
}

export interface PullRequest {
  id: number;
  repositoryId: number;
  title: string;
  description: string;
  authorId: number;
  fromRepositoryId: number;
  fromBranch: string;
  toBranch: string;
  createdDate: number;
}

/** An incoming application link (Administration › Application links › External application › Incoming). */
export interface ApplicationLink {
  clientId: string;
  clientSecretHash: string;
  name: string;
  redirectUrl: string;
  scopes: readonly string[];
}

export interface AccessToken {
  kind: 'oauth' | 'http';
  userId: number;
  /** OAuth scopes or HTTP access token permissions. */
  permissions: readonly string[];
  clientId: string | null;
  /** Epoch milliseconds; null: never. */
  expiresAt: number | null;
  revoked: boolean;
  /** HTTP access tokens: their id and name, as `GET /rest/access-tokens/latest/users/{slug}` lists them. */
  id: string | null;
  name: string | null;
  createdDate: number;
}

/** What an authorization code and a refresh token stand for. */
export interface UserGrant {
  userId: number;
  scopes: readonly string[];
}

export interface RefreshGrant extends UserGrant {
  accessTokenHash: string;
}

/** The emulator's data, in memory (the seed is made again at every start; git repositories stay on disk). */
export class DataCenterState {
  readonly users = new Map<number, User>();
  readonly projects = new Map<string, Project>();
  readonly repositories = new Map<number, Repository>();
  readonly pullRequests: PullRequest[] = [];
  readonly links = new Map<string, ApplicationLink>();
  /** Users' consent, per application link: the scopes they allowed. */
  readonly consents = new Map<number, Map<string, readonly string[]>>();
  private readonly tokens = new Map<string, AccessToken>();

  findUser(nameOrEmail: string): User | undefined {
    const wanted = nameOrEmail.trim().toLowerCase();
    return [...this.users.values()].find((user) => user.name.toLowerCase() === wanted || user.emailAddress.toLowerCase() === wanted);
  }

  findUserBySlug(slug: string): User | undefined {
    return [...this.users.values()].find((user) => user.slug === slug.toLowerCase());
  }

  findProject(key: string): Project | undefined {
    return this.projects.get(key.toUpperCase());
  }

  findRepository(projectKey: string, slug: string): Repository | undefined {
    const key = projectKey.toUpperCase();
    return [...this.repositories.values()].find((repo) => repo.projectKey === key && repo.slug === slug.toLowerCase());
  }

  addToken(value: string, token: AccessToken): void {
    this.tokens.set(hashOpaqueToken(value), token);
  }

  findToken(value: string): AccessToken | undefined {
    return this.tokens.get(hashOpaqueToken(value));
  }

  findTokenByHash(hash: string): AccessToken | undefined {
    return this.tokens.get(hash);
  }

  /** Every token by hash, for the state file. */
  tokenEntries(): Array<[string, AccessToken]> {
    return [...this.tokens].map(([hash, token]) => [hash, { ...token }]);
  }

  restoreTokens(entries: ReadonlyArray<[string, AccessToken]>): void {
    this.tokens.clear();
    for (const [hash, token] of entries) this.tokens.set(hash, { ...token });
  }

  tokensOf(userId: number): AccessToken[] {
    return [...this.tokens.values()].filter((token) => token.userId === userId);
  }

  authenticateLink(clientId: string | undefined, secret: string | undefined): ApplicationLink | undefined {
    if (clientId === undefined || secret === undefined) return undefined;
    const link = this.links.get(clientId);
    return link && constantTimeEquals(hashOpaqueToken(secret), link.clientSecretHash) ? link : undefined;
  }
}

/** Whether `granted` (OAuth scopes or token permissions) reaches `needed`: REPO_WRITE implies REPO_READ, and so on. */
export function permits(granted: readonly string[], needed: RepositoryLevel): boolean {
  const rank = REPOSITORY_LEVELS.indexOf(needed);
  return granted.some((permission) => {
    const level = REPOSITORY_LEVELS.indexOf(permission as RepositoryLevel);
    // Project permissions reach the project's repositories at the same level.
    const projectLevel = ['PROJECT_READ', 'PROJECT_WRITE', 'PROJECT_ADMIN'].indexOf(permission);
    return level >= rank || (projectLevel >= 0 && projectLevel + 1 >= rank);
  });
}
