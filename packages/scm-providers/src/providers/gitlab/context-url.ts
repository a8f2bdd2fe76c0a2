// gitlab.com and self-managed GitLab links, read as their pages write them. Cases:
// context-url-cases.json (with the forms of Gitpod's gitlab-context-parser.spec.ts).
import { COMMIT_PATTERN, FULL_COMMIT_PATTERN, isValidBranchName, isValidTagName } from '../../git-ref-name.ts';
import type { ContextUrl, ContextUrlBase, ContextUrlResult, ProviderLink } from '../../provider-module.ts';

export const gitlabExampleUrl = 'https://gitlab.com/group/project';
const EXAMPLE = `Paste a link like ${gitlabExampleUrl}.`;

// Group, subgroup and project paths: letters, digits, `_`, `-` and `.`, starting with a letter,
// digit or `_`, at most 255 characters (https://docs.gitlab.com/user/reserved_names/). Subgroups
// nest at most 20 levels deep (https://docs.gitlab.com/user/group/subgroups/).
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;
const MAX_DEPTH = 21;
const MERGE_REQUEST_IID = /^[1-9][0-9]{0,9}$/;

// The project pages that follow `/-/` (or, in older links, follow the project path directly).
// GitLab reserves these words as project names, so a path segment that is one of them ends the
// project path (https://docs.gitlab.com/user/reserved_names/#reserved-project-names).
const SECTIONS = new Set([
  'tree', 'blob', 'raw', 'blame', 'commits', 'commit', 'merge_requests', 'tags', 'branches', 'issues', 'compare',
  'pipelines', 'jobs', 'wikis', 'wiki', 'settings', 'graphs', 'network', 'find_file', 'edit', 'files', 'refs',
]);

// First path segments that are GitLab pages, not namespaces.
const RESERVED_FIRST = new Set([
  '-', 'admin', 'api', 'dashboard', 'explore', 'groups', 'help', 'oauth', 'profile', 'projects', 'search', 'snippets', 'users', 'user_settings',
]);

/**
 *   /{group}/{subgroup…}/{project}                          repository (also .git, ssh, any page not below)
 *   /{…project}/-/tree/{ref…}/{path…}                        branch or tag (slashes allowed): the runner resolves it
 *   /{…project}/-/blob/{ref…}/{path…}                        the same, pointing at a file
 *   /{…project}/-/commits/{ref…}                             a branch's or tag's history: resolved the same way
 *   /{…project}/-/commit/{sha}                               commit (7–40 hex)
 *   /{…project}/-/merge_requests/{iid}[/diffs…]              merge request
 *   /{…project}/-/tags/{tag}                                 tag
 * each with or without the `/-/` (links from before GitLab 13 have none).
 */
export function parseGitlabContextLink(link: ProviderLink): ContextUrlResult {
  const { segments } = link;
  if (segments.length === 0) return notARepository(link.host, 'names no group or project');
  if (RESERVED_FIRST.has(segments[0]!.toLowerCase())) return notARepository(link.host, 'is a GitLab page, not a project');
  const dash = segments.indexOf('-');
  // Without `/-/`, the first section word after at least a group and a project ends the project path.
  const end = dash >= 0 ? dash : segments.findIndex((segment, index) => index >= 2 && SECTIONS.has(segment));
  const projectSegments = end >= 0 ? segments.slice(0, end) : [...segments];
  const [section, ...rest] = end >= 0 ? segments.slice(dash >= 0 ? end + 1 : end) : [];
  if (projectSegments.length < 2) return notARepository(link.host, 'names a group or user but no project');
  const last = projectSegments[projectSegments.length - 1]!;
  const isCloneUrl = last.endsWith('.git');
  if (isCloneUrl) projectSegments[projectSegments.length - 1] = last.slice(0, -'.git'.length);
  if (projectSegments.length > MAX_DEPTH || !projectSegments.every((segment) => PATH_SEGMENT.test(segment) && !segment.endsWith('.atom'))) {
    return notARepository(link.host, 'has a group or project name with characters GitLab does not allow');
  }
  if (isCloneUrl && section !== undefined) return notARepository(link.host, 'goes on after the clone URL’s .git');

  const repo = projectSegments[projectSegments.length - 1]!;
  const base: ContextUrlBase = { provider: 'gitlab', host: link.host, repositoryPath: projectSegments, owner: projectSegments.slice(0, -1).join('/'), repo };
  switch (section) {
    case 'tree':
    case 'blob':
    case 'commits':
    case 'raw':
    case 'blame':
      return readRefPath(base, rest);
    case 'commit':
      return readCommit(base, rest[0]);
    case 'merge_requests':
      return readMergeRequest(base, rest[0]);
    case 'tags':
      if (rest.length > 0) return readTag(base, rest.join('/'));
      return found({ ...base, kind: 'repository' });
    default:
      // The project page, issues, pipelines, settings, …: the repository.
      return found({ ...base, kind: 'repository' });
  }
}

function readRefPath(base: ContextUrlBase, rest: string[]): ContextUrlResult {
  const [first] = rest;
  if (first === undefined) return found({ ...base, kind: 'repository' });
  // A full hash is a commit; a short one may be a branch name too, so the runner decides.
  if (FULL_COMMIT_PATTERN.test(first)) {
    const path = rest.slice(1).join('/');
    return found({ ...base, kind: 'commit', commit: first.toLowerCase(), ...(path ? { path } : {}) });
  }
  if (!isValidBranchName(first)) return notARepository(base.host, 'does not name a valid branch or tag');
  return found({ ...base, kind: 'ref', refSegments: rest });
}

function readCommit(base: ContextUrlBase, sha: string | undefined): ContextUrlResult {
  if (sha === undefined || !COMMIT_PATTERN.test(sha)) return notARepository(base.host, 'does not name a commit');
  return found({ ...base, kind: 'commit', commit: sha.toLowerCase() });
}

function readMergeRequest(base: ContextUrlBase, iid: string | undefined): ContextUrlResult {
  // The merge request list (`/-/merge_requests`) is the project.
  if (iid === undefined) return found({ ...base, kind: 'repository' });
  if (!MERGE_REQUEST_IID.test(iid)) return notARepository(base.host, 'does not name a merge request');
  return found({ ...base, kind: 'pullRequest', pullRequestId: Number(iid) });
}

function readTag(base: ContextUrlBase, tag: string): ContextUrlResult {
  if (!isValidTagName(tag)) return notARepository(base.host, 'does not name a valid tag');
  return found({ ...base, kind: 'tag', tag });
}

function notARepository(host: string, detail: string): Extract<ContextUrlResult, { ok: false }> {
  return { ok: false, reason: 'not_a_repository', message: `That GitLab link ${detail}. ${EXAMPLE}`, host };
}

function found(context: ContextUrl): ContextUrlResult {
  return { ok: true, context };
}
