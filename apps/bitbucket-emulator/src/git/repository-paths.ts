import path from 'node:path';

/** Where a repository lives under the repositories root: `{workspace}/{repo}.git`. */
export function repositoryRelativePath(workspaceSlug: string, repositorySlug: string): string {
  return `${workspaceSlug}/${repositorySlug}.git`;
}

export function repositoryGitDir(
  reposRoot: string,
  workspaceSlug: string,
  repositorySlug: string,
): string {
  return path.join(reposRoot, workspaceSlug, `${repositorySlug}.git`);
}
