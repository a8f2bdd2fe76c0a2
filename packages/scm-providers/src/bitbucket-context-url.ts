import { getScmProvider } from './scm-provider-catalogue.ts';
import { readUrlLike } from './read-url-like.ts';

/** What a Bitbucket link points at, enough for the runner to resolve it with the API. */
export type BitbucketContext = {
  host: 'bitbucket.org';
  /** The workspace slug. */
  owner: string;
  /** The repository slug. */
  repo: string;
  kind: 'repository' | 'branch' | 'commit' | 'pullRequest';
  branch?: string;
  /** Lower-case hex, 7–40 characters. */
  commit?: string;
  pullRequestId?: number;
  /**
   * For `/src/{ref}/{path}` links only: the decoded path after the ref. Bitbucket writes branch
   * names with `/` unencoded in these links, so `src/feature/login/` reads as branch `feature`
   * and path `login`. A resolver that finds no branch `feature` can try `feature/login`
   * (branch + '/' + path, longest existing branch wins), as Bitbucket itself does.
   */
  path?: string;
};

export type BitbucketContextUrlResult =
  | { ok: true; context: BitbucketContext }
  | {
      ok: false;
      reason: 'not_a_url' | 'unknown_host' | 'self_hosted_unsupported' | 'not_a_repository';
      message: string;
      host?: string;
    };

const BITBUCKET_HOST = 'bitbucket.org';
const EXAMPLE = 'Paste a link like https://bitbucket.org/workspace/repository.';
const NOT_A_REPOSITORY = `That is not a Bitbucket repository URL. ${EXAMPLE}`;

// Bitbucket allows letters, digits, `_`, `.` and `-` in workspace and repository slugs.
const SLUG = /^[A-Za-z0-9_.-]+$/;
const COMMIT = /^[0-9a-fA-F]{7,40}$/;
const FULL_COMMIT = /^[0-9a-fA-F]{40}$/;
const PULL_REQUEST_ID = /^[1-9][0-9]{0,9}$/;

// Git's ref-name rules (git check-ref-format), plus no leading `-` so a branch can never be
// read as an option by a git command line: no control characters, space, ~ ^ : ? * [ \, `..` or `@{`,
// no empty component, and no component or end that git refuses (`.lock`, leading `.`, trailing `.` or `/`).
export function isValidBranchName(name: string): boolean {
  return (
    name !== '' &&
    name !== '@' &&
    !name.startsWith('-') &&
    !Array.from(name).some((char) => char <= ' ' || char === '\x7f') &&
    !/[~^:?*[\\]/.test(name) &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.endsWith('.') &&
    name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'))
  );
}

// First path segments that are bitbucket.org pages, not workspaces.
const RESERVED_WORKSPACES = new Set([
  'account',
  'dashboard',
  'site',
  'snippets',
  'product',
  'repo',
  'workspace',
  'support',
]);

/**
 * Recognises a Bitbucket Cloud link to a repository, branch, commit or pull request, or a clone
 * URL (https, or ssh as `git@bitbucket.org:workspace/repo.git`). Query and fragment are ignored.
 *
 *   /{owner}/{repo}                       repository (also with .git, and any page not below)
 *   /{owner}/{repo}/src                   repository
 *   /{owner}/{repo}/src/{ref}/{path…}     branch {ref} (or commit, if {ref} is 40 hex). The ref is
 *                                         the first segment only; write `/` in a branch name as
 *                                         %2F (feature%2Flogin) to keep it unambiguous. See `path`.
 *   /{owner}/{repo}/branch/{name…}        branch: everything after /branch/
 *   /{owner}/{repo}/commits/{hash}        commit (7–40 hex)
 *   /{owner}/{repo}/commits/branch/{name…} branch
 *   /{owner}/{repo}/pull-requests/{id}/…  pull request (anything after the id is a tab: diff, …)
 */
export function parseBitbucketContextUrl(input: string): BitbucketContextUrlResult {
  const url = typeof input === 'string' ? readUrlLike(input) : null;
  // Without a dot it is a path or a word, not a link (`acme/widgets` is not host `acme`).
  if (url === null || !url.hostname.includes('.')) {
    return { ok: false, reason: 'not_a_url', message: `That is not a link. ${EXAMPLE}` };
  }
  if (url.hostname !== BITBUCKET_HOST) {
    return refuseHost(url.hostname, url.pathname);
  }

  const segments = decodeSegments(url.pathname);
  if (segments === null || segments.length < 2) return notARepository();
  const [owner = '', repoSegment = '', section, ...rest] = segments;
  const isCloneUrl = repoSegment.endsWith('.git');
  const repo = isCloneUrl ? repoSegment.slice(0, -'.git'.length) : repoSegment;
  if (!isSlug(owner) || RESERVED_WORKSPACES.has(owner.toLowerCase()) || !isSlug(repo))
    return notARepository();
  if (isCloneUrl && section !== undefined) return notARepository();

  const repository: BitbucketContext = { host: BITBUCKET_HOST, owner, repo, kind: 'repository' };
  switch (section) {
    case undefined:
      return found(repository);
    case 'src':
      return readSourceLink(repository, rest);
    case 'branch':
      return readBranch(repository, rest.join('/'));
    case 'commits':
      return readCommitsLink(repository, rest);
    case 'pull-requests':
      return readPullRequestLink(repository, rest);
    default:
      // Any other page of the repository (branches, pipelines, downloads, …) means the repository.
      return found(repository);
  }
}

function readSourceLink(
  repository: BitbucketContext,
  [ref, ...path]: string[],
): BitbucketContextUrlResult {
  if (ref === undefined) return found(repository);
  const pathPart = path.length > 0 ? { path: path.join('/') } : {};
  if (FULL_COMMIT.test(ref))
    return found({ ...repository, kind: 'commit', commit: ref.toLowerCase(), ...pathPart });
  return readBranch(repository, ref, pathPart);
}

function readBranch(
  repository: BitbucketContext,
  branch: string,
  extra: { path?: string } = {},
): BitbucketContextUrlResult {
  if (!isValidBranchName(branch)) return notARepository('does not name a valid branch');
  return found({ ...repository, kind: 'branch', branch, ...extra });
}

function readCommitsLink(repository: BitbucketContext, rest: string[]): BitbucketContextUrlResult {
  const [first, ...after] = rest;
  if (first === undefined) return found(repository); // the commit list
  if (first === 'branch') return readBranch(repository, after.join('/'));
  if (!COMMIT.test(first)) return notARepository('does not name a commit');
  return found({ ...repository, kind: 'commit', commit: first.toLowerCase() });
}

function readPullRequestLink(
  repository: BitbucketContext,
  [id]: string[],
): BitbucketContextUrlResult {
  if (id === undefined) return found(repository); // the pull request list
  if (!PULL_REQUEST_ID.test(id)) return notARepository('does not name a pull request');
  return found({ ...repository, kind: 'pullRequest', pullRequestId: Number(id) });
}

/** Splits the path on `/` and decodes each segment, so `feature%2Flogin` stays one segment. */
function decodeSegments(pathname: string): string[] | null {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null; // malformed percent-encoding
  }
}

function isSlug(value: string): boolean {
  return SLUG.test(value) && value !== '.' && value !== '..';
}

function refuseHost(hostname: string, pathname: string): BitbucketContextUrlResult {
  // Bitbucket Data Center links: /projects/{KEY}/repos/{slug}/…, clone URLs /scm/{key}/{slug}.git,
  // and hosts commonly named after the product.
  if (
    /(^|[.-])bitbucket([.-]|$)/.test(hostname) ||
    /^\/(projects\/[^/]+\/repos|scm)\//i.test(pathname)
  ) {
    const message = getScmProvider('bitbucket').selfHostedUnsupportedMessage ?? '';
    return { ok: false, reason: 'self_hosted_unsupported', message, host: hostname };
  }
  return {
    ok: false,
    reason: 'unknown_host',
    message: `That link is on ${hostname}, not bitbucket.org. ${EXAMPLE}`,
    host: hostname,
  };
}

function notARepository(detail?: string): BitbucketContextUrlResult {
  const message =
    detail === undefined ? NOT_A_REPOSITORY : `That Bitbucket link ${detail}. ${EXAMPLE}`;
  return { ok: false, reason: 'not_a_repository', message, host: BITBUCKET_HOST };
}

function found(context: BitbucketContext): BitbucketContextUrlResult {
  return { ok: true, context };
}
