// Bitbucket Data Center links, read as its pages write them. Cases: context-url-cases.json (with
// the forms of Gitpod's bitbucket-server-context-parser.spec.ts).
import { COMMIT_PATTERN, FULL_COMMIT_PATTERN, isValidBranchName, isValidTagName } from '../../git-ref-name.ts';
import type { ContextUrl, ContextUrlBase, ContextUrlResult, ProviderLink } from '../../provider-module.ts';

export const bitbucketDataCenterExampleUrl = 'https://bitbucket.example.com/projects/KEY/repos/repository';
const EXAMPLE = `Paste a link like ${bitbucketDataCenterExampleUrl}.`;

// Project keys: letters, digits and `_`, starting with a letter (Data Center upper-cases them).
// Personal projects are `~{user slug}`. Repository slugs: letters, digits, `_`, `.` and `-`.
const PROJECT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;
const USER_SLUG = /^[A-Za-z0-9_.@+-]{1,255}$/;
const SLUG = /^[A-Za-z0-9_.-]{1,128}$/;
const PULL_REQUEST_ID = /^[1-9][0-9]{0,9}$/;

/**
 *   /projects/{KEY}/repos/{slug}[/browse[/{path…}]]   repository; `?at=refs/heads/{branch}`,
 *                                                     `?at=refs/tags/{tag}` or `?at={commit}` names the ref
 *   /users/{user}/repos/{slug}/…                      the same for a personal repository (project `~USER`)
 *   /projects/{KEY}/repos/{slug}/commits/{sha}        commit (7–40 hex); `?at=refs/heads/…` keeps the branch
 *   /projects/{KEY}/repos/{slug}/pull-requests/{id}[/overview|/diff|/commits]   pull request
 *   /scm/{key}/{slug}.git                             clone URL: the repository
 * Other pages of a repository (branches, the commit list, settings) mean the repository.
 */
export function parseBitbucketDataCenterContextLink(link: ProviderLink): ContextUrlResult {
  const { segments, query } = link;
  const [first = '', ...rest] = segments;
  if (first === 'scm') return readCloneUrl(link.host, rest);
  if (first !== 'projects' && first !== 'users') return notARepository(link.host, 'is not a repository page (those start with /projects/{KEY}/repos/)');
  const [owner = '', reposWord, repoSegment, section, ...more] = rest;
  const projectKey = readProjectKey(first, owner);
  if (projectKey === null) return notARepository(link.host, first === 'users' ? 'names a user Bitbucket does not allow' : 'names a project key Bitbucket does not allow');
  if (reposWord !== 'repos' || repoSegment === undefined) return notARepository(link.host, first === 'users' ? 'names a user but no repository' : 'names a project but no repository');
  if (!isSlug(repoSegment)) return notARepository(link.host, 'has a repository name with characters Bitbucket does not allow (use letters, digits, _ . and -)');
  const base: ContextUrlBase = { provider: 'bitbucket-data-center', host: link.host, repositoryPath: [projectKey, repoSegment], owner: projectKey, repo: repoSegment };
  switch (section) {
    case undefined:
    case 'browse':
      return readAt(base, query.get('at'), more.join('/'));
    case 'commits':
      return readCommit(base, more[0], query.get('at'));
    case 'pull-requests':
      return readPullRequest(base, more[0]);
    default:
      return found({ ...base, kind: 'repository' });
  }
}

function readProjectKey(kind: string, owner: string): string | null {
  if (kind === 'users') return USER_SLUG.test(owner) ? `~${owner.toUpperCase()}` : null;
  return PROJECT_KEY.test(owner) ? owner.toUpperCase() : null;
}

/** `/scm/{key}/{slug}.git`, `/scm/~{user}/{slug}.git`. */
function readCloneUrl(host: string, [key = '', repoSegment = '', ...after]: string[]): ContextUrlResult {
  if (!repoSegment.endsWith('.git') || after.length > 0) return notARepository(host, 'is not a clone URL of the form /scm/{key}/{repository}.git');
  const repo = repoSegment.slice(0, -'.git'.length);
  const projectKey = key.startsWith('~') ? readProjectKey('users', key.slice(1)) : readProjectKey('projects', key);
  if (projectKey === null || !isSlug(repo)) return notARepository(host, 'has a project key or repository name Bitbucket does not allow');
  return found({ provider: 'bitbucket-data-center', host, repositoryPath: [projectKey, repo], owner: projectKey, repo, kind: 'repository' });
}

/** `?at=refs/heads/feature/login` (branch), `refs/tags/v1` (tag), a hash (commit), or a bare name (a branch or tag: the runner resolves it). */
function readAt(base: ContextUrlBase, at: string | null, path: string): ContextUrlResult {
  const withPath = path ? { path } : {};
  if (at === null || at === '') return found({ ...base, kind: 'repository', ...withPath });
  if (at.startsWith('refs/heads/')) {
    const branch = at.slice('refs/heads/'.length);
    return isValidBranchName(branch) ? found({ ...base, kind: 'branch', branch, ...withPath }) : notARepository(base.host, 'does not name a valid branch');
  }
  if (at.startsWith('refs/tags/')) {
    const tag = at.slice('refs/tags/'.length);
    return isValidTagName(tag) ? found({ ...base, kind: 'tag', tag, ...withPath }) : notARepository(base.host, 'does not name a valid tag');
  }
  if (FULL_COMMIT_PATTERN.test(at)) return found({ ...base, kind: 'commit', commit: at.toLowerCase(), ...withPath });
  if (!isValidBranchName(at)) return notARepository(base.host, 'does not name a valid branch or tag');
  return found({ ...base, kind: 'ref', refSegments: at.split('/') });
}

function readCommit(base: ContextUrlBase, sha: string | undefined, at: string | null): ContextUrlResult {
  if (sha === undefined) return found({ ...base, kind: 'repository' }); // the commit list
  if (!COMMIT_PATTERN.test(sha)) return notARepository(base.host, 'does not name a commit');
  const branch = at?.startsWith('refs/heads/') ? at.slice('refs/heads/'.length) : undefined;
  return found({ ...base, kind: 'commit', commit: sha.toLowerCase(), ...(branch !== undefined && isValidBranchName(branch) ? { branch } : {}) });
}

function readPullRequest(base: ContextUrlBase, id: string | undefined): ContextUrlResult {
  if (id === undefined) return found({ ...base, kind: 'repository' }); // the pull request list
  if (!PULL_REQUEST_ID.test(id)) return notARepository(base.host, 'does not name a pull request');
  return found({ ...base, kind: 'pullRequest', pullRequestId: Number(id) });
}

function isSlug(value: string): boolean {
  return SLUG.test(value) && value !== '.' && value !== '..';
}

function notARepository(host: string, detail: string): Extract<ContextUrlResult, { ok: false }> {
  return { ok: false, reason: 'not_a_repository', message: `That Bitbucket Data Center link ${detail}. ${EXAMPLE}`, host };
}

function found(context: ContextUrl): ContextUrlResult {
  return { ok: true, context };
}

/**
 * A Data Center link on a host no integration of this runner serves (another company server):
 * /projects/{KEY}/repos/…, /users/{user}/repos/… or a /scm/ clone URL.
 */
export function claimOtherDataCenterLink(hostname: string, pathname: string): string | null {
  if (!/^\/(projects\/[^/]+\/repos|users\/[^/]+\/repos|scm)\//i.test(pathname)) return null;
  return `That looks like a Bitbucket Data Center link on ${hostname}, and this runner has no Bitbucket Data Center integration for that host. Ask an admin to add Bitbucket Data Center for ${hostname} (Settings › Runners › Add a new provider).`;
}
