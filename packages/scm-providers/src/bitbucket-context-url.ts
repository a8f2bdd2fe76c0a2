import { getScmProvider } from './scm-provider-catalogue.ts';
import { MAX_URL_INPUT_LENGTH, readUrlLike, type UrlLike } from './read-url-like.ts';

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
      reason:
        | 'not_a_url'
        | 'no_scheme'
        | 'too_long'
        | 'unknown_host'
        | 'self_hosted_unsupported'
        | 'not_a_repository';
      message: string;
      host?: string;
    };

const BITBUCKET_HOST = 'bitbucket.org';
const EXAMPLE = 'Paste a link like https://bitbucket.org/workspace/repository.';
const NOT_A_REPOSITORY = `That is not a Bitbucket repository URL. ${EXAMPLE}`;

export type BitbucketContextUrlOptions = {
  /**
   * Web origins that serve bitbucket.org for the runner at hand, as its configuration gives them
   * (`BITBUCKET_URL`, such as http://localhost:8082 for the emulator). A link on one of them reads
   * as a bitbucket.org link; the runner clones it from its own configuration, never from the link.
   */
  siteOrigins?: readonly string[];
};

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
export function parseBitbucketContextUrl(
  input: string,
  options: BitbucketContextUrlOptions = {},
): BitbucketContextUrlResult {
  const read = readLink(input, siteHostsOf(options.siteOrigins ?? []));
  if (!read.ok) return read;
  const url = read.url;

  const segments = decodeSegments(url.pathname);
  if (segments === null)
    return notARepository('has broken percent-encoding (a % not followed by two hex digits)');
  if (segments.length === 0) return notARepository('names no workspace or repository');
  const [owner = '', repoSegment = '', section, ...rest] = segments;
  if (RESERVED_WORKSPACES.has(owner.toLowerCase()))
    return notARepository('is a Bitbucket page, not a repository');
  if (segments.length < 2) return notARepository('names a workspace but no repository');
  const isCloneUrl = repoSegment.endsWith('.git');
  const repo = isCloneUrl ? repoSegment.slice(0, -'.git'.length) : repoSegment;
  if (!isSlug(owner) || !isSlug(repo))
    return notARepository(
      'has a workspace or repository name with characters Bitbucket does not allow (use letters, digits, _ . and -)',
    );
  if (isCloneUrl && section !== undefined)
    return notARepository('goes on after the clone URL’s .git');

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

type SiteHosts = { withScheme: Set<string>; withoutScheme: Map<string, string> };

/** `http://localhost:8082` → matched as is, and as `localhost:8082` when the scheme was left out. */
function siteHostsOf(origins: readonly string[]): SiteHosts {
  const withScheme = new Set<string>();
  const withoutScheme = new Map<string, string>();
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      continue;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    withScheme.add(`${url.protocol}//${url.host}`);
    withoutScheme.set(url.host, url.origin);
  }
  return { withScheme, withoutScheme };
}

const HAS_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * Reads the pasted text as a link on bitbucket.org (or on one of the runner's own Bitbucket
 * origins), or says what is wrong with it: one refusal per cause, so the person can fix it.
 */
function readLink(
  input: string,
  sites: SiteHosts,
): { ok: true; url: UrlLike } | Extract<BitbucketContextUrlResult, { ok: false }> {
  const text = typeof input === 'string' ? input.trim() : '';
  if (text.length > MAX_URL_INPUT_LENGTH) {
    return refuse(
      'too_long',
      `That link is ${text.length.toLocaleString('en')} characters long; the limit is ${MAX_URL_INPUT_LENGTH.toLocaleString('en')}. Copy the address of the repository, branch, commit or pull request page instead.`,
    );
  }
  if (text === '') return refuse('not_a_url', `That is not a link. ${EXAMPLE}`);
  if (/\s/.test(text))
    return refuse('not_a_url', `That is not a link: a link has no spaces. ${EXAMPLE}`);
  const scheme = SCP_LIKE.test(text) ? null : HAS_SCHEME.exec(text)?.[1]?.toLowerCase();
  const hasScheme =
    scheme !== undefined && scheme !== null && text.slice(scheme.length).startsWith('://');
  if (hasScheme && !['http', 'https', 'ssh'].includes(scheme)) {
    return refuse(
      'not_a_url',
      `That link starts with ${scheme.slice(0, 20)}://, which the runner cannot read. ${EXAMPLE}`,
    );
  }
  const url = readUrlLike(text);
  if (url === null) {
    if (hasScheme)
      return refuse('not_a_url', `That link has no host after ${scheme}://. ${EXAMPLE}`);
    if (scheme) {
      return refuse(
        'not_a_url',
        `That is not a link to a web page: it starts with ${scheme.slice(0, 20)}:. ${EXAMPLE}`,
      );
    }
    return refuse(
      'not_a_url',
      `That is not a link: it has no scheme (https://) and no host. ${EXAMPLE}`,
    );
  }
  if (url.hostname === BITBUCKET_HOST) return { ok: true, url };
  const onSite = hasScheme
    ? url.protocol !== 'ssh' && sites.withScheme.has(`${url.protocol}://${url.host}`)
    : sites.withoutScheme.has(url.host);
  // A link on the runner's own Bitbucket (the emulator under `npm start`) means bitbucket.org there.
  if (onSite) return { ok: true, url: { ...url, hostname: BITBUCKET_HOST, host: BITBUCKET_HOST } };
  if (!hasScheme && !url.hostname.includes('.')) {
    // `localhost:8082/acme/widgets` is a host with a port; `acme/widgets` is a path, not host `acme`.
    if (url.host === url.hostname) {
      return refuse(
        'not_a_url',
        `That is not a link: it has no scheme (https://) and no host. ${EXAMPLE}`,
      );
    }
    return refuse(
      'no_scheme',
      `That link has no scheme: start it with http:// or https://, as the browser's address bar shows it. ${EXAMPLE}`,
    );
  }
  return refuseHost(url.host, url.pathname, [...sites.withoutScheme.values()]);
}

function refuse(
  reason: 'not_a_url' | 'no_scheme' | 'too_long',
  message: string,
): Extract<BitbucketContextUrlResult, { ok: false }> {
  return { ok: false, reason, message };
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

function refuseHost(
  host: string,
  pathname: string,
  siteOrigins: string[],
): Extract<BitbucketContextUrlResult, { ok: false }> {
  const hostname = host.replace(/:\d+$/, '');
  // Bitbucket Data Center links: /projects/{KEY}/repos/{slug}/…, clone URLs /scm/{key}/{slug}.git,
  // and hosts commonly named after the product.
  if (
    /(^|[.-])bitbucket([.-]|$)/.test(hostname) ||
    /^\/(projects\/[^/]+\/repos|scm)\//i.test(pathname)
  ) {
    const message = getScmProvider('bitbucket').selfHostedUnsupportedMessage ?? '';
    return { ok: false, reason: 'self_hosted_unsupported', message, host: hostname };
  }
  const served = [BITBUCKET_HOST, ...siteOrigins].join(' and ');
  return {
    ok: false,
    reason: 'unknown_host',
    message: `No integration serves ${host}: links on ${served} work. ${EXAMPLE}`,
    host,
  };
}

function notARepository(detail?: string): Extract<BitbucketContextUrlResult, { ok: false }> {
  const message =
    detail === undefined ? NOT_A_REPOSITORY : `That Bitbucket link ${detail}. ${EXAMPLE}`;
  return { ok: false, reason: 'not_a_repository', message, host: BITBUCKET_HOST };
}

function found(context: BitbucketContext): BitbucketContextUrlResult {
  return { ok: true, context };
}
