import type { Db } from './database.ts';

export interface Workspace {
  id: number;
  slug: string;
  name: string;
  uuid: string;
  createdOn: string;
}

export interface Repository {
  id: number;
  workspace: Workspace;
  slug: string;
  name: string;
  uuid: string;
  description: string;
  isPrivate: boolean;
  mainbranch: string;
  language: string;
  project: { key: string; name: string; uuid: string };
  createdOn: string;
}

export type PullRequestState = 'OPEN' | 'MERGED' | 'DECLINED' | 'SUPERSEDED';

export interface PullRequest {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  description: string;
  state: PullRequestState;
  authorUserId: number;
  sourceBranch: string;
  destinationBranch: string;
  createdOn: string;
  updatedOn: string;
}

interface WorkspaceRow {
  id: number;
  slug: string;
  name: string;
  uuid: string;
  created_on: string;
}

interface RepositoryRow {
  id: number;
  workspace_id: number;
  slug: string;
  name: string;
  uuid: string;
  description: string;
  is_private: number;
  mainbranch: string;
  language: string;
  project_key: string;
  project_name: string;
  project_uuid: string;
  created_on: string;
}

interface PullRequestRow {
  id: number;
  repository_id: number;
  number: number;
  title: string;
  description: string;
  state: PullRequestState;
  author_user_id: number;
  source_branch: string;
  destination_branch: string;
  created_on: string;
  updated_on: string;
}

export type NewWorkspace = Omit<Workspace, 'id'>;
export type NewRepository = Omit<Repository, 'id' | 'workspace'> & { workspaceId: number };
export type NewPullRequest = Omit<PullRequest, 'id'>;

/**
 * Workspaces, their members, repositories and pull requests. Git data (branches, commits) lives
 * in the bare repositories on disk, not here.
 */
export class RepositoryStore {
  constructor(private readonly db: Db) {}

  /** Finds a workspace by slug or by `{uuid}`, as Bitbucket's paths accept both. */
  findWorkspace(slugOrUuid: string): Workspace | undefined {
    const row = this.db
      .prepare<[string, string], WorkspaceRow>(
        'SELECT * FROM workspaces WHERE slug = ? COLLATE NOCASE OR uuid = ?',
      )
      .get(slugOrUuid, slugOrUuid);
    return row && toWorkspace(row);
  }

  findWorkspaceById(id: number): Workspace | undefined {
    const row = this.db
      .prepare<[number], WorkspaceRow>('SELECT * FROM workspaces WHERE id = ?')
      .get(id);
    return row && toWorkspace(row);
  }

  /** Workspaces where the user is a member, by name. */
  listWorkspacesOf(userId: number): Workspace[] {
    return this.db
      .prepare<[number], WorkspaceRow>(
        `SELECT w.* FROM workspaces w JOIN workspace_members m ON m.workspace_id = w.id
         WHERE m.user_id = ? ORDER BY w.name`,
      )
      .all(userId)
      .map(toWorkspace);
  }

  /** The first owner of a workspace (the one who created it). */
  findOwnerId(workspaceId: number): number | undefined {
    return this.db
      .prepare<[number], { user_id: number }>(
        `SELECT user_id FROM workspace_members WHERE workspace_id = ? AND role = 'owner' ORDER BY rowid LIMIT 1`,
      )
      .get(workspaceId)?.user_id;
  }

  isWorkspaceMember(workspaceId: number, userId: number): boolean {
    return this.memberRole(workspaceId, userId) !== undefined;
  }

  isWorkspaceOwner(workspaceId: number, userId: number): boolean {
    return this.memberRole(workspaceId, userId) === 'owner';
  }

  /** Finds a repository by workspace and repository slug (or `{uuid}`s). */
  findRepository(workspaceSlugOrUuid: string, repoSlugOrUuid: string): Repository | undefined {
    const workspace = this.findWorkspace(workspaceSlugOrUuid);
    if (!workspace) return undefined;
    const row = this.db
      .prepare<[number, string, string], RepositoryRow>(
        'SELECT * FROM repositories WHERE workspace_id = ? AND (slug = ? COLLATE NOCASE OR uuid = ?)',
      )
      .get(workspace.id, repoSlugOrUuid, repoSlugOrUuid);
    return row && toRepository(row, workspace);
  }

  findPullRequest(repositoryId: number, number: number): PullRequest | undefined {
    const row = this.db
      .prepare<[number, number], PullRequestRow>(
        'SELECT * FROM pull_requests WHERE repository_id = ? AND number = ?',
      )
      .get(repositoryId, number);
    return row && toPullRequest(row);
  }

  createWorkspace(workspace: NewWorkspace): Workspace {
    const result = this.db
      .prepare('INSERT INTO workspaces (slug, name, uuid, created_on) VALUES (?, ?, ?, ?)')
      .run(workspace.slug, workspace.name, workspace.uuid, workspace.createdOn);
    return { ...workspace, id: Number(result.lastInsertRowid) };
  }

  addWorkspaceMember(workspaceId: number, userId: number, role: 'owner' | 'collaborator'): void {
    this.db
      .prepare('INSERT INTO workspace_members (workspace_id, user_id, role) VALUES (?, ?, ?)')
      .run(workspaceId, userId, role);
  }

  createRepository(repository: NewRepository): void {
    this.db
      .prepare(
        `INSERT INTO repositories (workspace_id, slug, name, uuid, description, is_private, mainbranch, language,
           project_key, project_name, project_uuid, created_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        repository.workspaceId,
        repository.slug,
        repository.name,
        repository.uuid,
        repository.description,
        repository.isPrivate ? 1 : 0,
        repository.mainbranch,
        repository.language,
        repository.project.key,
        repository.project.name,
        repository.project.uuid,
        repository.createdOn,
      );
  }

  createPullRequest(pullRequest: NewPullRequest): void {
    this.db
      .prepare(
        `INSERT INTO pull_requests (repository_id, number, title, description, state, author_user_id,
           source_branch, destination_branch, created_on, updated_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        pullRequest.repositoryId,
        pullRequest.number,
        pullRequest.title,
        pullRequest.description,
        pullRequest.state,
        pullRequest.authorUserId,
        pullRequest.sourceBranch,
        pullRequest.destinationBranch,
        pullRequest.createdOn,
        pullRequest.updatedOn,
      );
  }

  private memberRole(workspaceId: number, userId: number): string | undefined {
    const row = this.db
      .prepare<[number, number], { role: string }>(
        'SELECT role FROM workspace_members WHERE workspace_id = ? AND user_id = ?',
      )
      .get(workspaceId, userId);
    return row?.role;
  }
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return { id: row.id, slug: row.slug, name: row.name, uuid: row.uuid, createdOn: row.created_on };
}

function toRepository(row: RepositoryRow, workspace: Workspace): Repository {
  return {
    id: row.id,
    workspace,
    slug: row.slug,
    name: row.name,
    uuid: row.uuid,
    description: row.description,
    isPrivate: row.is_private === 1,
    mainbranch: row.mainbranch,
    language: row.language,
    project: { key: row.project_key, name: row.project_name, uuid: row.project_uuid },
    createdOn: row.created_on,
  };
}

function toPullRequest(row: PullRequestRow): PullRequest {
  return {
    id: row.id,
    repositoryId: row.repository_id,
    number: row.number,
    title: row.title,
    description: row.description,
    state: row.state,
    authorUserId: row.author_user_id,
    sourceBranch: row.source_branch,
    destinationBranch: row.destination_branch,
    createdOn: row.created_on,
    updatedOn: row.updated_on,
  };
}
