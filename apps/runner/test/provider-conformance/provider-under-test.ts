// What the provider conformance suite needs of a provider: its runner adapter, its emulator, and
// the few facts of the emulator's seed that the checks compare against. One entry per provider
// (github.ts, …), listed in conformance.test.ts; the checks themselves are written once.
import type { ContextUrl } from '@runner-console/scm-providers';
import type { ProviderAdapter, ProviderEndpoints, ResolvedContext } from '../../src/providers/provider-adapter.ts';

export interface OAuthClientUnderTest {
  clientId: string;
  clientSecret: string;
}

export interface ContextCase {
  name: string;
  context: ContextUrl;
  /** The fields the resolved context must have (the commit as a branch or tag name, resolved by the suite through git). */
  expect: Partial<ResolvedContext>;
  /** The branch or tag whose commit `commit` must be (read with git ls-remote). */
  commitOf?: string;
  /** The repository path that `cloneUrl` must point at, when not the link's own (a fork's pull request). */
  clonesFrom?: readonly string[];
}

export interface ProviderFixture {
  endpoints: ProviderEndpoints;
  /** The user the suite signs in as, and the account whoAmI must answer for them. */
  user: { username: string; account: { name: string; username: string; email: string } };
  /** The OAuth client kinds: `plain` (tokens without refresh, where the provider has such) and `refreshing`. */
  createClient(kind: 'plain' | 'refreshing', callbackUrl: string): Promise<OAuthClientUnderTest>;
  /**
   * Drives the provider's sign-in and consent pages in a cookie-keeping client as `user`, and
   * answers the URL the browser is sent back to (the callback with `code` or `error`).
   */
  authorize(authorizeUrl: URL, decision: 'grant' | 'cancel'): Promise<URL>;
  /** An app client whose installation does not cover the seed's repositories (where `capabilities.appInstallations`). */
  createUncoveredAppClient?(callbackUrl: string): Promise<OAuthClientUnderTest>;
  /** Makes the user's access tokens expire now (a clock or expiry switch in the emulator). */
  expireAccessTokens(): Promise<void>;
  /** A personal access token of the user: with every scope the product needs, without the repository one, or fine-grained on `repository`. */
  createPersonalAccessToken(kind: 'complete' | 'no_repository_scope' | 'fine_grained', expiresOn: string): Promise<{ token: string; email: string | null }>;
  /** The provider's answer to a rate limit, next API call only (where the emulator can: `capabilities.rateLimits`). */
  rateLimitNextApiCall(): Promise<void>;
  /** Context URLs as the provider's parser reads them, with what they resolve to. */
  contexts: readonly ContextCase[];
  /** A repository that does not exist (or the user cannot see). */
  missingRepository: ContextUrl;
  /** Where the suite pushes: a repository path and one of its branches the user may write. */
  push: { repositoryPath: readonly string[]; branch: string };
  stop(): Promise<void>;
}

export interface ProviderUnderTest {
  name: string;
  adapter: ProviderAdapter;
  /** What this provider (or its emulator, so far) has; a check of something it lacks is skipped, visibly. */
  capabilities: {
    /** The provider revokes a grant through its API (GitHub: DELETE /applications/{client_id}/grant). */
    revokesGrants: boolean;
    /** The provider says when a personal access token expires (GitHub's header); else the developer's date is kept. */
    tokenExpiryFromProvider: boolean;
    /** Fine-grained personal access tokens (reach probed on the repository, expiry from the provider). */
    fineGrainedTokens: boolean;
    /** App clients reach only the repositories an installation covers (GitHub Apps). */
    appInstallations: boolean;
    /** The emulator can answer the next API call with a rate limit. */
    rateLimits: boolean;
  };
  /** What the code exchange answers to a redirect_uri other than the authorize request's. */
  redirectMismatchFailure: 'invalid_client' | 'provider_error';
  start(): Promise<ProviderFixture>;
}
