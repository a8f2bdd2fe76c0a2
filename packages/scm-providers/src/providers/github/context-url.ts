// github.com and GitHub Enterprise Server links, read as their pages write them. Cases:
// context-url-cases.json (with the forms of Gitpod's github-context-parser.spec.ts).
import { COMMIT_PATTERN, FULL_COMMIT_PATTERN, isValidBranchName, isValidTagName } from '../../git-ref-name.ts';
import type { ContextUrl, ContextUrlBase, ContextUrlResult, ProviderLink } from '../../provider-module.ts';

export const githubExampleUrl = 'https://github.com/owner/repository';
const EXAMPLE = `Paste a link like ${githubExampleUrl}.`;

// Account names: letters, digits and single hyphens, at most 39 characters, not starting with a
// hyphen. Repository names: letters, digits, `_`, `.` and `-`, at most 100 characters.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9_.-]{1,100}$/;
const PULL_NUMBER = /^[1-9][0-9]{0,9}$/;

// First path segments that are GitHub pages, not accounts.
const RESERVED_OWNERS = new Set([
  'about', 'account', 'apps', 'codespaces', 'collections', 'dashboard', 'enterprise', 'enterprises', 'events', 'explore',
  'features', 'login', 'logout', 'marketplace', 'new', 'notifications', 'organizations', 'orgs', 'pricing', 'pulls',
  'issues', 'search', 'security', 'settings', 'site', 'sponsors', 'topics', 'trending', 'users',
]);

/**
 *   /{owner}/{repo}                      repository (also .git, ssh, and any page not below)
 *   /{owner}/{repo}/tree/{ref…}/{path…}  branch or tag (slashes allowed): the runner resolves it
 *   /{owner}/{repo}/blob/{ref…}/{path…}  the same, pointing at a file
 *   /{owner}/{repo}/commits/{ref…}       the history of a branch or tag: resolved the same way
 *   /{owner}/{repo}/commit/{sha}         commit (7–40 hex)
 *   /{owner}/{repo}/pull/{n}[/files…]    pull request (anything after the number is a tab)
 *   /{owner}/{repo}/releases/tag/{tag…}  tag
 */
export function parseGithubContextLink(link: ProviderLink): ContextUrlResult {
  const { segments } = link;
  if (segments.length === 0) return notARepository(link.host, 'names no owner or repository');
  const [owner = '', repoSegment = '', section, ...rest] = segments;
  if (RESERVED_OWNERS.has(owner.toLowerCase())) return notARepository(link.host, 'is a GitHub page, not a repository');
  if (segments.length < 2) return notARepository(link.host, 'names an account but no repository');
  const isCloneUrl = repoSegment.endsWith('.git');
  const repo = isCloneUrl ? repoSegment.slice(0, -'.git'.length) : repoSegment;
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === '.' || repo === '..') {
    return notARepository(link.host, 'has an owner or repository name with characters GitHub does not allow');
  }
  if (isCloneUrl && section !== undefined) return notARepository(link.host, 'goes on after the clone URL’s .git');

  const base: ContextUrlBase = { provider: 'github', host: link.host, repositoryPath: [owner, repo], owner, repo };
  switch (section) {
    case undefined:
      return found({ ...base, kind: 'repository' });
    case 'tree':
    case 'blob':
    case 'commits':
      return readRefPath(base, rest);
    case 'commit':
      return readCommit(base, rest[0]);
    case 'pull':
      return readPullRequest(base, rest[0]);
    case 'releases':
      if (rest[0] === 'tag' && rest.length > 1) return readTag(base, rest.slice(1).join('/'));
      return found({ ...base, kind: 'repository' });
    default:
      // Issues, actions, wiki, settings, …: the repository.
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

function readPullRequest(base: ContextUrlBase, number: string | undefined): ContextUrlResult {
  if (number === undefined || !PULL_NUMBER.test(number)) return notARepository(base.host, 'does not name a pull request');
  return found({ ...base, kind: 'pullRequest', pullRequestId: Number(number) });
}

function readTag(base: ContextUrlBase, tag: string): ContextUrlResult {
  if (!isValidTagName(tag)) return notARepository(base.host, 'does not name a valid tag');
  return found({ ...base, kind: 'tag', tag });
}

function notARepository(host: string, detail: string): Extract<ContextUrlResult, { ok: false }> {
  return { ok: false, reason: 'not_a_repository', message: `That GitHub link ${detail}. ${EXAMPLE}`, host };
}

function found(context: ContextUrl): ContextUrlResult {
  return { ok: true, context };
}
