import { hashOpaqueToken } from '@runner-console/emulator-kit';

export interface User {
  id: number;
  username: string;
  name: string;
  /** The primary e-mail, which is also the commit e-mail in the seed. */
  email: string;
  password: string;
  createdAt: string;
}

/** A user's namespace or a group (a subgroup's `fullPath` holds its parents: `acme/platform`). */
export interface Namespace {
  id: number;
  name: string;
  path: string;
  fullPath: string;
  kind: 'user' | 'group';
  parentId: number | null;
}

/** GitLab's access levels: 10 Guest, 20 Reporter, 30 Developer, 40 Maintainer, 50 Owner. */
export type AccessLevel = 10 | 20 | 30 | 40 | 50;

export interface Project {
  id: number;
  namespace: Namespace;
  name: string;
  path: string;
  description: string | null;
  visibility: 'private' | 'internal' | 'public';
  defaultBranch: string;
  forkedFromId: number | null;
  /** Members and their access level; a private fork's readers also include its parent's. */
  members: Map<number, AccessLevel>;
  createdAt: string;
}

export interface MergeRequest {
  id: number;
  iid: number;
  /** The target project. */
  projectId: number;
  sourceProjectId: number;
  title: string;
  description: string;
  authorId: number;
  sourceBranch: string;
  targetBranch: string;
  createdAt: string;
}

/** An OAuth application (User settings › Applications, or a group's or the instance's). */
export interface Application {
  /** Doorkeeper's `uid`, shown as "Application ID". */
  uid: string;
  secretHash: string;
  name: string;
  /** One per line on GitLab's form; the authorize request must name one exactly. */
  redirectUris: string[];
  scopes: string[];
  confidential: boolean;
}

export type TokenKind = 'oauth' | 'personal';

export interface AccessToken {
  kind: TokenKind;
  id: number;
  userId: number;
  scopes: readonly string[];
  /** OAuth tokens: the application's uid. */
  applicationUid?: string;
  /** Personal access tokens: their name. */
  name?: string;
  createdAt: number;
  /** Epoch milliseconds; null for tokens that never expire. */
  expiresAt: number | null;
  revoked: boolean;
}

/** What an authorization code or a refresh token stands for. */
export interface UserGrant {
  userId: number;
  applicationUid: string;
  scopes: readonly string[];
}

/** A refresh token's grant: the access token it came with, revoked when the refresh token is used. */
export interface RefreshGrant extends UserGrant {
  accessTokenHash: string;
}

/**
 * The emulator's data, held in memory: users, namespaces, projects, merge requests, applications
 * and tokens. Git repositories live on disk; the seed makes users, projects and merge requests
 * again at each start, and state-file.ts keeps applications and tokens across restarts.
 */
export class GitLabState {
  readonly users = new Map<number, User>();
  readonly namespaces = new Map<number, Namespace>();
  readonly projects = new Map<number, Project>();
  readonly mergeRequests: MergeRequest[] = [];
  readonly applications = new Map<string, Application>();
  /** By token hash; only hashes are kept. */
  readonly tokens = new Map<string, AccessToken>();
  /** user id → application uids the user has authorized, with their scopes (consent is asked once). */
  readonly authorizations = new Map<number, Map<string, readonly string[]>>();
  private nextId = 1000;

  newId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  peekNextId(): number {
    return this.nextId;
  }

  advanceNextId(atLeast: number): void {
    this.nextId = Math.max(this.nextId, atLeast);
  }

  findUserByUsername(username: string): User | undefined {
    const wanted = username.toLowerCase();
    return [...this.users.values()].find((user) => user.username.toLowerCase() === wanted);
  }

  findNamespace(fullPath: string): Namespace | undefined {
    const wanted = fullPath.toLowerCase();
    return [...this.namespaces.values()].find((namespace) => namespace.fullPath.toLowerCase() === wanted);
  }

  /** `acme/platform/tools` (paths are case-insensitive on GitLab); a trailing `.git` is allowed. */
  findProjectByPath(fullPath: string): Project | undefined {
    const wanted = fullPath.toLowerCase().replace(/\.git$/, '');
    return [...this.projects.values()].find((project) => pathWithNamespace(project).toLowerCase() === wanted);
  }

  /** `:id` in `/projects/:id`: a numeric id or the URL-encoded path with namespace. */
  findProject(idOrPath: string): Project | undefined {
    if (/^\d{1,12}$/.test(idOrPath)) return this.projects.get(Number(idOrPath));
    return this.findProjectByPath(idOrPath);
  }

  findToken(value: string): AccessToken | undefined {
    return this.tokens.get(hashOpaqueToken(value));
  }

  addToken(value: string, token: AccessToken): void {
    this.tokens.set(hashOpaqueToken(value), token);
  }

  /** The user's access level, private forks inheriting their parent's readers (Reporter). */
  accessLevelOf(userId: number, project: Project): AccessLevel | undefined {
    const own = project.members.get(userId);
    if (own) return own;
    if (project.forkedFromId !== null) {
      const parent = this.projects.get(project.forkedFromId);
      if (parent && this.accessLevelOf(userId, parent)) return 20;
    }
    return project.visibility === 'private' ? undefined : 10;
  }

  /** Revokes a user's tokens for an application (Applications › Authorized applications › Revoke). */
  revokeAuthorization(userId: number, applicationUid: string): number {
    let revoked = 0;
    for (const token of this.tokens.values()) {
      if (token.userId === userId && token.applicationUid === applicationUid && !token.revoked) {
        token.revoked = true;
        revoked += 1;
      }
    }
    this.authorizations.get(userId)?.delete(applicationUid);
    return revoked;
  }
}

export function pathWithNamespace(project: Project): string {
  return `${project.namespace.fullPath}/${project.path}`;
}
