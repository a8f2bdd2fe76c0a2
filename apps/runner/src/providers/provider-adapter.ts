// The runner's half of a provider: everything the flows (oauth/, tokens/, context/, git/) must ask
// of a provider, so that none of them names one. One implementation per folder
// (providers/<id>/adapter.ts), found through provider-registry.ts by the integration's provider id.
// docs/ARCHITECTURE.md › How to add a provider walks through each member.
import type * as oauth from 'oauth4webapi';
import type { ConnectFailureCode, ParsedContext } from '@runner-console/contracts';
import type { ContextUrl, ScmProviderId } from '@runner-console/scm-providers';

/** Where one provider host lives, from the runner's own configuration only (provider-endpoints.ts). */
export interface ProviderEndpoints {
  provider: ScmProviderId;
  host: string;
  /** Web origin (and path prefix): OAuth pages and git over HTTPS (https://bitbucket.org, https://ghe.acme.corp). */
  siteUrl: string;
  /** REST API base, without a trailing slash (https://api.bitbucket.org/2.0, https://api.github.com, https://ghe.acme.corp/api/v3). */
  apiUrl: string;
  authorizationServer: oauth.AuthorizationServer;
  /** Plain http is allowed only when the configured URL is http (a local emulator). */
  requestOptions: { [oauth.allowInsecureRequests]?: boolean };
  /** The integration's tenant issuer (OAuth through an identity provider with tenants); null: none. */
  issuerUrl?: string | null;
  /** The integration's path on the host (a self-managed server's collection); null: none. */
  virtualDirectory?: string | null;
  /**
   * Where the runner's configuration points another host the provider needs (its identity
   * provider's authority, a separate profile API host), or null when it does not.
   */
  siteForHost?(host: string): string | null;
}

/** The URLs an adapter gives for a host when the configuration names none, before paths are added. */
export interface EndpointDefaults {
  siteUrl: string;
  apiUrl: string;
}

/** An OAuth error answer, whatever its HTTP status (GitHub sends them with 200). */
export interface OAuthRefusal {
  status: number;
  error: string;
  description: string | null;
}

/** What the adapter makes of an OAuth refusal, at the step it happened. */
export interface OAuthRefusalMeaning {
  /** `invalid_client`: the admin's Client ID/Secret are wrong; `provider_error`: anything else. */
  failureCode: Extract<ConnectFailureCode, 'invalid_client' | 'provider_error' | 'access_denied' | 'flow_invalid'>;
  /** A sentence for the person who must act (developer or admin), naming what to do. */
  message: string;
}

/** The outcome of checking an admin's Client ID and Secret without a user (Validate). */
export type ClientCheckVerdict =
  | { status: 'valid'; message: string }
  | { status: 'invalid_credentials'; message: string }
  | { status: 'provider_unreachable'; message: string };

/** How this provider's tokens age, and which refusals end a connection. */
export interface RefreshPolicy {
  /** True when each refresh spends the refresh token (Bitbucket, GitHub App): refreshes are serialized by a lease. */
  rotates: boolean;
  /** Refresh tokens unused this long are refused by the provider (Bitbucket: about 3 months); null when none. */
  idleExpiryMs: number | null;
  /**
   * For a refused refresh: 'revoked' (the grant or client is gone), 'idle' (unused too long) or
   * null (a refusal that may be a lost race: the flow re-reads the store first).
   */
  classifyRefusal(refusal: OAuthRefusal): 'revoked' | 'idle' | null;
  /** The "Connect again" sentences, per reason, written for the developer. */
  reasons: { revoked: string; idle: string; interrupted: string; noRefreshToken: string };
}

/** The account a token belongs to: the git author and what the dashboard shows. */
export interface ProviderAccount {
  /** Display name, for the git author and "connected as …". */
  name: string;
  username: string | null;
  /** The provider's stable id for the account (Bitbucket uuid, GitHub numeric id as a string). */
  id: string | null;
  /** Primary verified e-mail, or null when the provider would not say. */
  email: string | null;
}

/** A REST call's credentials and base, as the flows hand them to an adapter. */
export interface ProviderCall {
  endpoints: ProviderEndpoints;
  /** The Authorization header value (restAuthorization of the token). */
  authorization: string;
  /** Tests pass their own; the default is the runner's fetch (with the extra CA bundle, if set). */
  fetch: typeof fetch;
}

/** A token the runner keeps, as much of it as adapters need (tokens/token-store.ts StoredToken). */
export interface TokenCredentials {
  kind: 'oauth' | 'api_token';
  accessToken: string;
  /** API tokens of providers whose REST API takes Basic `email:token` (Bitbucket). */
  loginEmail: string | null;
}

/** The checked facts of a personal access token, or why it is refused. */
export type TokenCheck =
  | {
      ok: true;
      account: ProviderAccount;
      scopes: string[];
      /** From the provider (GitHub's GitHub-Authentication-Token-Expiration) or the developer's date; null: no expiry. */
      expiresAt: string | null;
    }
  | {
      ok: false;
      code: 'token_refused' | 'wrong_email' | 'missing_scope' | 'token_expired' | 'provider_unreachable';
      message: string;
    };

/** A provider REST failure the flows map to the developer's message (ContextError, git refusals). */
export class ProviderApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: 'unauthorized' | 'forbidden' | 'not_found' | 'rate_limited' | 'provider_error' | 'provider_unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** What the runner resolves a context URL to (contracts' ParsedContext, without the author). */
export type ResolvedContext = Omit<ParsedContext, 'author'>;

export interface ProviderAdapter {
  readonly id: ScmProviderId;
  /** The provider's display name for messages (from the catalogue). */
  readonly name: string;

  // --- endpoints -----------------------------------------------------------------------------
  /**
   * URLs for `host` with no configuration: a cloud host's defaults (bitbucket.org →
   * https://bitbucket.org + https://api.bitbucket.org/2.0), else a self-managed host at
   * `https://{host}` with the provider's API path (GitHub Enterprise Server: /api/v3). Null when
   * the provider cannot be self-managed and the host is not its cloud host.
   */
  defaultEndpoints(host: string): EndpointDefaults | null;
  /**
   * The API base for a configured site URL when the configuration gives no API URL
   * (`--provider-endpoint github.com=http://localhost:8083` → http://localhost:8083/api/v3).
   */
  apiUrlForSite(siteUrl: string): string;
  /**
   * Settings of old that point this provider's cloud host elsewhere and keep working
   * (BITBUCKET_URL and BITBUCKET_API_URL); config.ts lists them with the others.
   */
  readonly legacyEndpointSettings?: {
    host: string;
    site: { flag: string; env: string; help: string };
    api?: { flag: string; env: string; help: string };
    /** The API base for the value of `api` (an origin, for Bitbucket: /2.0 is added). */
    apiUrlForOrigin(origin: string): string;
  };

  // --- OAuth ---------------------------------------------------------------------------------
  /** Extra authorize parameters: `scope`, and what a provider needs more (prompt, audience, …). */
  authorizeParameters(): Record<string, string>;
  /**
   * Where the OAuth endpoints are, when they are not fixed paths on the site: found through OpenID
   * discovery of the integration's issuer (Microsoft Entra ID). Absent: `endpoints.authorizationServer`.
   * Refuses (throws) an issuer or a discovered endpoint the runner may not send the secret to.
   */
  discoverAuthorizationServer?(input: { endpoints: ProviderEndpoints; fetch: typeof fetch }): Promise<oauth.AuthorizationServer>;
  /** Parameters every refresh sends besides the refresh token (Entra needs the scopes again). */
  refreshParameters?(): Record<string, string>;
  /** True: the flow sends a PKCE S256 challenge and the verifier. */
  readonly pkce: boolean;
  /** How the token endpoint authenticates the client. */
  clientAuthentication(clientSecret: string): oauth.ClientAuth;
  /**
   * Reads an OAuth refusal out of what oauth4webapi threw, or out of a token response that carries
   * `error` with HTTP 200 (GitHub); null when the error is not an OAuth answer (network, parsing).
   */
  readOAuthRefusal(errorOrResponse: unknown): Promise<OAuthRefusal | null>;
  /** What a refusal means at `step`, for the developer (Connect) or the admin (Validate). */
  describeOAuthRefusal(refusal: OAuthRefusal, step: 'authorize' | 'exchange' | 'refresh'): OAuthRefusalMeaning;
  /**
   * Validate: judges the token endpoint's answer to a code that cannot exist, sent with the admin's
   * Client ID and Secret (a bad client is told apart from a bad code).
   */
  judgeClientCheck(refusal: OAuthRefusal | null, status: number): ClientCheckVerdict;
  /** The scopes a token response (and its headers) says were granted. */
  grantedScopes(tokens: oauth.TokenEndpointResponse, headers?: Headers): string[];
  readonly refresh: RefreshPolicy;

  // --- the account, tokens, REST and git -------------------------------------------------------
  /** Who the token belongs to: `/user` and the primary verified e-mail. */
  whoAmI(call: ProviderCall): Promise<ProviderAccount>;
  /**
   * A personal access token the developer pasted: accepted? whose? which scopes (header or
   * probing)? when does it expire? `email`/`expiresOn` only where the token form asks for them.
   */
  checkPersonalAccessToken(input: { endpoints: ProviderEndpoints; token: string; email: string | null; expiresOn: string | null; fetch: typeof fetch }): Promise<TokenCheck>;
  /** The REST Authorization header for a stored token (Bearer, or Basic for Bitbucket API tokens). */
  restAuthorization(token: TokenCredentials): string;
  /** Git over HTTPS user name for a stored token (x-token-auth, x-access-token, oauth2, …). */
  gitUsername(token: TokenCredentials): string;
  /**
   * A cheap authenticated call that answers 401 for a token the provider no longer takes (used
   * before handing git a token, since git cannot retry after a 401).
   */
  probeToken(call: ProviderCall): Promise<void>;

  // --- context -------------------------------------------------------------------------------
  /**
   * Resolves a parsed link with the user's token: the repository (its default branch), a branch,
   * a tag, a commit (keeping the branch it was viewed on), a pull request (a fork's pull request
   * clones the fork's branch: `cloneRepositoryPath`), or an unresolved `ref` (branches, then tags,
   * longest name first). Refusals are ContextError (context/context-error.ts) or ProviderApiError.
   * `cloneUrlFor` builds clone URLs from the runner's endpoints only.
   */
  resolveContext(input: {
    call: ProviderCall;
    context: ContextUrl;
    accountName: string;
    cloneUrlFor(repositoryPath: readonly string[]): string;
  }): Promise<ResolvedContext>;
  /**
   * What one segment of a repository path may be, when the provider allows more than letters,
   * digits, `_`, `.` and `-` (Azure DevOps project and repository names have spaces); `cloneUrl`
   * then encodes it. A segment is never `.`/`..` nor starts with `-`, whatever this says.
   */
  readonly repositorySegment?: RegExp;
  /** `{site}/{path}.git`, the provider's HTTPS clone URL form for a repository path. */
  cloneUrl(siteUrl: string, repositoryPath: readonly string[]): string;
  /** Where a developer creates a personal access token on this site (the emulator's own page locally); null: none. */
  apiTokenCreateUrl(siteUrl: string): string | null;

  // --- disconnect ----------------------------------------------------------------------------
  /**
   * Revokes the grant at the provider on Disconnect (GitHub: DELETE /applications/{client_id}/grant).
   * 'unsupported' when the provider has no such endpoint (the UI links its authorizations page).
   */
  revoke(input: { endpoints: ProviderEndpoints; clientId: string; clientSecret: string; token: TokenCredentials; fetch: typeof fetch }): Promise<'revoked' | 'unsupported' | 'failed'>;
}
