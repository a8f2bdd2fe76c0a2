// The shape every provider folder (src/providers/<id>/) fills in. Nothing outside a provider's
// folder knows a provider's facts: it asks the module found by id (provider-modules.ts).
import type { ScmProviderId } from './provider-ids.ts';
import type { ScmProvider } from './scm-provider.ts';

/**
 * A context URL as a provider's parser reads it, before the runner has asked the provider anything.
 *
 * `repositoryPath` holds every segment that names the repository, outermost first, so it fits
 * every provider: `[workspace, repo]` (Bitbucket Cloud), `[owner, repo]` (GitHub),
 * `[group, …subgroups, project]` (GitLab), `[organization, project, repository]` (Azure DevOps),
 * `[projectKey, repo]` (Bitbucket Data Center). `owner` is all but the last segment joined with `/`,
 * `repo` the last one: what the runner's contracts (ParsedContext) carry.
 */
export type ContextUrlBase = {
  provider: ScmProviderId;
  /** The integration's host (bitbucket.org, github.com, github.acme.corp), never an emulator origin. */
  host: string;
  repositoryPath: readonly string[];
  owner: string;
  repo: string;
  /** A file path inside the ref, when the link points at a file or folder (informational). */
  path?: string;
};

export type ContextUrlTarget =
  | { kind: 'repository' }
  | { kind: 'branch'; branch: string }
  | { kind: 'tag'; tag: string }
  /** `branch`: the branch the link was viewed on (Bitbucket `?at=`), kept so the clone can push. */
  | { kind: 'commit'; commit: string; branch?: string }
  | { kind: 'pullRequest'; pullRequestId: number }
  /**
   * A ref the URL alone cannot tell apart: `/tree/feature/login/src` (GitHub) or `/src/v1.0/`
   * (Bitbucket) may name a branch or a tag, with or without slashes, followed by a path. The runner
   * resolves it against the provider: the longest leading part of `refSegments` that names a
   * branch or a tag (a branch first at the same length), else a leading commit hash; what follows is
   * the path. See the runner's context/resolve-ref.ts.
   */
  | { kind: 'ref'; refSegments: readonly string[] };

export type ContextUrl = ContextUrlBase & ContextUrlTarget;

export type ContextUrlRefusalReason =
  | 'not_a_url'
  | 'no_scheme'
  | 'too_long'
  | 'unknown_host'
  | 'self_hosted_unsupported'
  | 'not_a_repository';

export type ContextUrlResult =
  | { ok: true; context: ContextUrl }
  | { ok: false; reason: ContextUrlRefusalReason; message: string; host?: string };

/** What the shared front of the parser hands a provider: a link already matched to its host. */
export type ProviderLink = {
  /** The integration host the link is on (an emulator's origin already mapped to it). */
  host: string;
  /** Decoded path segments, empty ones dropped; `%2F` stays inside its segment. */
  segments: readonly string[];
  query: URLSearchParams;
  /** True for clone URLs (ssh, scp-like `git@host:o/r.git`, or a path ending in `.git`). */
  cloneUrl: boolean;
};

/**
 * How a provider writes and implies scopes. `implies` is one level (expanded transitively by
 * expandScopes); a scope absent from it implies nothing.
 */
export type ScopeRules = {
  /** How granted scopes come separated in token answers and headers (Bitbucket: spaces; GitHub: `, `). */
  separator: RegExp;
  implies: Readonly<Record<string, readonly string[]>>;
};

/** What a developer pasted on the token form, read before anything is sealed or sent. */
export type TokenInputCheck =
  | { ok: true; token: string; email: string | null }
  | {
      ok: false;
      field: 'email' | 'token';
      code: 'email_invalid' | 'token_missing' | 'token_malformed' | 'app_password';
      message: string;
    };

export type TokenInputRules = {
  /**
   * The token form's fields besides the token: Bitbucket API tokens need the account e-mail and
   * the expiry the developer chose; GitHub answers the expiry in a header and needs no e-mail.
   */
  needsEmail: boolean;
  needsExpiry: boolean;
  read(input: { token: string; email?: string }): TokenInputCheck;
};

export type ScmProviderModule = {
  id: ScmProviderId;
  /** The catalogue entry: names, hosts, docs, OAuth paths, required scopes with reasons. */
  entry: ScmProvider;
  scopes: ScopeRules;
  /** Absent when the provider takes no personal access tokens. */
  tokenInput?: TokenInputRules;
  /** Reads a link on one of this provider's hosts; the shared front (parseContextUrl) calls it. */
  parseContextLink(link: ProviderLink): ContextUrlResult;
  /** An example link for messages, e.g. `https://github.com/owner/repository`. */
  exampleUrl: string;
  /**
   * A link on a host nobody serves that is this provider's self-managed product, which this
   * module cannot serve (Bitbucket Data Center for Bitbucket Cloud): the sentence to show, else null.
   */
  claimForeignLink?(hostname: string, pathname: string): string | null;
  /**
   * Another host name of this provider's cloud host, whose links name the first path segments in
   * the host (`{org}.visualstudio.com` is dev.azure.com/{org}): the host they mean and those
   * segments, else null.
   */
  readHostAlias?(hostname: string): { host: string; leadingSegments: string[] } | null;
};
