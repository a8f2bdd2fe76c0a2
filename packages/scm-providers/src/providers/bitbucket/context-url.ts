// Bitbucket Cloud links, read as its pages write them. Cases: context-url-cases.json (with the forms
// of Gitpod's bitbucket-context-parser.spec.ts).
import { COMMIT_PATTERN, FULL_COMMIT_PATTERN, isValidBranchName, isValidTagName } from '../../git-ref-name.ts';
import type { ContextUrl, ContextUrlBase, ContextUrlResult, ProviderLink } from '../../provider-module.ts';
import { bitbucketDataCenterEntry } from '../bitbucket-data-center/catalogue-entry.ts';

export const bitbucketExampleUrl = 'https://bitbucket.org/workspace/repository';
const EXAMPLE = `Paste a link like ${bitbucketExampleUrl}.`;

// Bitbucket allows letters, digits, `_`, `.` and `-` in workspace and repository slugs.
const SLUG = /^[A-Za-z0-9_.-]+$/;
const PULL_REQUEST_ID = /^[1-9][0-9]{0,9}$/;

// First path segments that are bitbucket.org pages, not workspaces.
const RESERVED_WORKSPACES = new Set(['account', 'dashboard', 'site', 'snippets', 'product', 'repo', 'workspace', 'support']);

/**
 *   /{workspace}/{repo}                    repository (also with .git, and any page not below)
 *   /{workspace}/{repo}/src/{ref}/{path…}  a branch or tag the runner resolves (`ref`): Bitbucket
 *                                          writes `/` in branch names unencoded here, so which
 *                                          segments are the name is for the runner to find out;
 *                                          a 40-hex ref is a commit, and `?at={branch}` keeps the
 *                                          branch it was viewed on
 *   /{workspace}/{repo}/branch/{name…}     branch: everything after /branch/
 *   /{workspace}/{repo}/commits/{hash}     commit (7–40 hex)
 *   /{workspace}/{repo}/commits/branch/{name…}, /commits/tag/{name…}   branch, tag
 *   /{workspace}/{repo}/pull-requests/{id}/…  pull request (anything after the id is a tab)
 */
export function parseBitbucketContextLink(link: ProviderLink): ContextUrlResult {
  const { segments } = link;
  if (segments.length === 0) return notARepository(link.host, 'names no workspace or repository');
  const [owner = '', repoSegment = '', section, ...rest] = segments;
  if (RESERVED_WORKSPACES.has(owner.toLowerCase())) return notARepository(link.host, 'is a Bitbucket page, not a repository');
  if (segments.length < 2) return notARepository(link.host, 'names a workspace but no repository');
  const isCloneUrl = repoSegment.endsWith('.git');
  const repo = isCloneUrl ? repoSegment.slice(0, -'.git'.length) : repoSegment;
  if (!isSlug(owner) || !isSlug(repo)) {
    return notARepository(link.host, 'has a workspace or repository name with characters Bitbucket does not allow (use letters, digits, _ . and -)');
  }
  if (isCloneUrl && section !== undefined) return notARepository(link.host, 'goes on after the clone URL’s .git');

  const base: ContextUrlBase = { provider: 'bitbucket', host: link.host, repositoryPath: [owner, repo], owner, repo };
  switch (section) {
    case undefined:
      return found({ ...base, kind: 'repository' });
    case 'src':
      return readSourceLink(base, rest, link.query);
    case 'branch':
      return readBranch(base, rest.join('/'));
    case 'commits':
      return readCommitsLink(base, rest);
    case 'pull-requests':
      return readPullRequestLink(base, rest);
    default:
      // Any other page of the repository (branches, pipelines, issues, …) means the repository.
      return found({ ...base, kind: 'repository' });
  }
}

function readSourceLink(base: ContextUrlBase, [ref, ...path]: string[], query: URLSearchParams): ContextUrlResult {
  if (ref === undefined) return found({ ...base, kind: 'repository' });
  const pathPart = path.length > 0 ? { path: path.join('/') } : {};
  if (FULL_COMMIT_PATTERN.test(ref)) {
    // `/src/{sha}/?at={branch}`: Bitbucket's source browser on a branch's commit. Keep the branch,
    // so the environment has something to push to.
    const at = query.get('at');
    const branch = at !== null && isValidBranchName(at) && !FULL_COMMIT_PATTERN.test(at) ? { branch: at } : {};
    return found({ ...base, kind: 'commit', commit: ref.toLowerCase(), ...branch, ...pathPart });
  }
  if (!isValidBranchName(ref)) return notARepository(base.host, 'does not name a valid branch');
  return found({ ...base, kind: 'ref', refSegments: [ref, ...path] });
}

function readBranch(base: ContextUrlBase, branch: string): ContextUrlResult {
  if (!isValidBranchName(branch)) return notARepository(base.host, 'does not name a valid branch');
  return found({ ...base, kind: 'branch', branch });
}

function readCommitsLink(base: ContextUrlBase, rest: string[]): ContextUrlResult {
  const [first, ...after] = rest;
  if (first === undefined) return found({ ...base, kind: 'repository' }); // the commit list
  if (first === 'branch') return readBranch(base, after.join('/'));
  if (first === 'tag') {
    const tag = after.join('/');
    if (!isValidTagName(tag)) return notARepository(base.host, 'does not name a valid tag');
    return found({ ...base, kind: 'tag', tag });
  }
  if (!COMMIT_PATTERN.test(first)) return notARepository(base.host, 'does not name a commit');
  return found({ ...base, kind: 'commit', commit: first.toLowerCase() });
}

function readPullRequestLink(base: ContextUrlBase, [id]: string[]): ContextUrlResult {
  if (id === undefined) return found({ ...base, kind: 'repository' }); // the pull request list
  if (!PULL_REQUEST_ID.test(id)) return notARepository(base.host, 'does not name a pull request');
  return found({ ...base, kind: 'pullRequest', pullRequestId: Number(id) });
}

function isSlug(value: string): boolean {
  return SLUG.test(value) && value !== '.' && value !== '..';
}

/**
 * Bitbucket Data Center links on a host nobody serves: /projects/{KEY}/repos/{slug}/…, clone URLs
 * /scm/{key}/{slug}.git, and hosts commonly named after the product.
 */
export function claimBitbucketDataCenterLink(hostname: string, pathname: string): string | null {
  if (/(^|[.-])bitbucket([.-]|$)/.test(hostname) || /^\/(projects\/[^/]+\/repos|users\/[^/]+\/repos|scm)\//i.test(pathname)) {
    return `That looks like a link to a self-hosted Bitbucket (Data Center) at ${hostname}, and this runner has no ${bitbucketDataCenterEntry.name} integration for it. Ask an admin to add ${bitbucketDataCenterEntry.name} for ${hostname} (Settings › Runners › Add a new provider).`;
  }
  return null;
}

function notARepository(host: string, detail: string): Extract<ContextUrlResult, { ok: false }> {
  return { ok: false, reason: 'not_a_repository', message: `That Bitbucket link ${detail}. ${EXAMPLE}`, host };
}

function found(context: ContextUrl): ContextUrlResult {
  return { ok: true, context };
}
