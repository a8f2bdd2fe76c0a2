import type { ParsedContext } from '@runner-console/contracts';
import { isValidBranchName } from '@runner-console/scm-providers';
import type { ProviderEndpoints } from '../providers/provider-adapter.ts';
import { adapterFor } from '../providers/provider-registry.ts';

/**
 * A clone the runner refuses before git starts. The message says which check failed; it never
 * repeats an address it was offered, so a refusal cannot be used to probe the runner's network.
 */
export class CloneRefusal extends Error {
  constructor(
    readonly code: 'invalid_repository' | 'invalid_ref' | 'invalid_commit' | 'foreign_clone_url',
    message: string,
  ) {
    super(message);
  }
}

/** Where git talks to for a provider host: the runner's configured site, never an address from the BFF. */
export interface GitRemote {
  /** https://bitbucket.org, https://github.com (or an emulator's http://localhost:8082). */
  origin: string;
  protocol: 'https' | 'http';
  /** As git names it in credential requests: the host, with the port when it is not the default. */
  host: string;
}

/** What `cloneWorkspace` clones: every part checked, the URL built by the runner. */
export interface CloneTarget {
  remote: GitRemote;
  url: string;
  owner: string;
  repo: string;
  ref: string;
  refType: 'branch' | 'tag' | 'commit';
  commit: string;
  /** A commit link that named its branch: the branch is checked out at that commit, so it can be pushed from. */
  pinCommit: boolean;
}

// Each segment of a repository path: letters, digits, `_`, `.` and `-`, as every provider's owner,
// group and repository names are (GitHub, GitLab, Bitbucket). The first character may not be `.`
// or `-`, so a segment is never `.` or `..` (a path step) and never reads as an option.
const slugPattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
// An owner may also be a personal project's key, `~` and a user name (Bitbucket Data Center's `~BOB`).
const ownerPattern = /^~?[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
// Full or abbreviated object names (SHA-1 or SHA-256): hex only, so never an option or a path.
const commitPattern = /^[0-9a-fA-F]{7,64}$/;

export function checkRepositorySlug(value: string, what: 'owner' | 'repository'): string {
  if (!(what === 'owner' ? ownerPattern : slugPattern).test(value)) throw new CloneRefusal('invalid_repository', `That is not ${what === 'owner' ? 'a repository owner' : 'a repository'} name: use letters, digits, "_", "." and "-", starting with a letter, digit or "_".`);
  return value;
}

/** git check-ref-format's rules, and no leading `-` (isValidBranchName). */
export function checkBranchName(ref: string): string {
  if (!isValidBranchName(ref)) throw new CloneRefusal('invalid_ref', 'That is not a git branch name, so the runner did not clone it.');
  return ref;
}

export function checkCommitHash(commit: string): string {
  if (!commitPattern.test(commit)) throw new CloneRefusal('invalid_commit', 'That is not a git commit hash (7 to 64 hex digits), so the runner did not clone it.');
  return commit;
}

/** The git remote of a provider host, from the runner's own endpoints. */
export function gitRemoteOf(endpoints: Pick<ProviderEndpoints, 'siteUrl'>): GitRemote {
  const site = new URL(endpoints.siteUrl);
  if (site.protocol !== 'https:' && site.protocol !== 'http:') throw new Error(`The configured site URL ${endpoints.siteUrl} is not http or https.`);
  return { origin: site.origin, protocol: site.protocol === 'https:' ? 'https' : 'http', host: site.host };
}

/** `{site}/{owner}/{repo}.git`, the HTTPS clone URL without a user name. */
export function buildCloneUrl(endpoints: Pick<ProviderEndpoints, 'siteUrl'>, owner: string, repo: string): string {
  return cloneUrlForPath(endpoints, [owner, repo]);
}

/** How a provider writes its HTTPS clone URL from the site and a repository path (the adapter's cloneUrl). */
export type CloneUrlBuilder = (siteUrl: string, repositoryPath: readonly string[]) => string;

const plainCloneUrl: CloneUrlBuilder = (siteUrl, repositoryPath) => `${siteUrl.replace(/\/+$/, '')}/${repositoryPath.join('/')}.git`;

/**
 * The clone URL of a repository path of any depth (GitLab subgroups, Azure DevOps'
 * organization/project/repository); each segment is checked, against the provider's own rule for
 * names when the endpoints name their provider (Azure DevOps allows spaces). The URL is in the
 * provider's form: `build` (the adapter's cloneUrl), else the named provider's adapter, else
 * `{site}/{segment}/…/{repo}.git`.
 */
export function cloneUrlForPath(
  endpoints: Pick<ProviderEndpoints, 'siteUrl'> & { provider?: ProviderEndpoints['provider'] },
  repositoryPath: readonly string[],
  build?: CloneUrlBuilder,
): string {
  const repo = repositoryPath[repositoryPath.length - 1] ?? '';
  const owners = repositoryPath.slice(0, -1);
  if (owners.length === 0) throw new CloneRefusal('invalid_repository', 'That is not a repository path: it names no owner.');
  const wider = endpoints.provider ? adapterFor(endpoints.provider).repositorySegment : undefined;
  const check = (segment: string, what: 'owner' | 'repository') => {
    if (!wider) return checkRepositorySlug(segment, what);
    // The provider's own names (spaces allowed), still never a path step or an option.
    if (!wider.test(segment) || segment === '.' || segment === '..' || segment.startsWith('-')) {
      throw new CloneRefusal('invalid_repository', `That is not ${what === 'owner' ? 'a repository owner' : 'a repository'} name the provider allows.`);
    }
    return segment;
  };
  for (const segment of owners) check(segment, 'owner');
  check(repo, 'repository');
  const builder = build ?? (endpoints.provider ? adapterFor(endpoints.provider).cloneUrl : plainCloneUrl);
  return builder(endpoints.siteUrl, repositoryPath);
}

/**
 * Checks a context the BFF sent for a clone, and builds the URL from the runner's own endpoints. A
 * clone URL in the context is only a statement of what the BFF expects: anything other than the URL
 * the runner built is refused, and nothing is contacted.
 */
export function cloneTargetFor(
  endpoints: Pick<ProviderEndpoints, 'host' | 'siteUrl'> & { provider?: ProviderEndpoints['provider'] },
  context: Pick<ParsedContext, 'owner' | 'repo' | 'ref' | 'refType' | 'commit' | 'cloneUrl'> & { kind?: ParsedContext['kind'] },
  build?: CloneUrlBuilder,
): CloneTarget {
  const url = cloneUrlForPath(endpoints, [...context.owner.split('/'), context.repo], build);
  if (context.cloneUrl !== undefined && context.cloneUrl !== url) {
    throw new CloneRefusal(
      'foreign_clone_url',
      `Runner Console asked this runner to clone ${context.owner}/${context.repo} from an address that is not the one this runner uses for ${endpoints.host}. The runner refused and contacted nothing. Create the environment again; if this happens again, tell an administrator: the request did not come from this runner's own lookup.`,
    );
  }
  if (context.refType === 'commit') checkCommitHash(context.ref);
  else checkBranchName(context.ref); // tags follow the same rules
  checkCommitHash(context.commit);
  const pinCommit = context.kind === 'commit' && context.refType === 'branch';
  return { remote: gitRemoteOf(endpoints), url, owner: context.owner, repo: context.repo, ref: context.ref, refType: context.refType, commit: context.commit, pinCommit };
}

/**
 * `protocol.allow` for git commands that talk to `remote`: nothing but its own protocol, so no
 * `ext::`, `file://` or ssh transport can be reached, even through a redirect or a submodule
 * (https://git-scm.com/docs/git-config#Documentation/git-config.txt-protocolallow). Plain http only
 * when the configured endpoint is http (the local emulator).
 */
export function gitProtocolConfig(remote: Pick<GitRemote, 'protocol'>): [key: string, value: string][] {
  const pairs: [string, string][] = [
    ['protocol.allow', 'never'],
    ['protocol.https.allow', 'always'],
  ];
  if (remote.protocol === 'http') pairs.push(['protocol.http.allow', 'always']);
  return pairs;
}

/** Config pairs as GIT_CONFIG_COUNT / GIT_CONFIG_KEY_n / GIT_CONFIG_VALUE_n (git ≥ 2.31): never on a command line. */
export function gitConfigEnv(pairs: [key: string, value: string][]): Record<string, string> {
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(pairs.length) };
  pairs.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
