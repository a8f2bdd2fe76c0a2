// The runner's Bitbucket Data Center adapter: a company's server at https://{host}, with OAuth 2.0
// through an incoming application link and personal HTTP access tokens. docs/ARCHITECTURE.md ›
// How to add a provider describes each member; the facts are cited where they are used.
import * as oauth from 'oauth4webapi';
import { getScmProvider } from '@runner-console/scm-providers';
import { readOAuthRefusalOf } from '../read-oauth-refusal.ts';
import { ProviderApiError, type ProviderAccount, type ProviderAdapter, type ProviderCall, type TokenCredentials } from '../provider-adapter.ts';
import { dcRequest, segment, type DcApplicationProperties, type DcRepository, type DcUser } from './dc-api.ts';
import { resolveDataCenterContext } from './dc-context.ts';
import { describeDataCenterOAuthRefusal, judgeDataCenterClientCheck } from './dc-oauth.ts';

const NAME = 'Bitbucket Data Center';
/** Hosts that are Bitbucket Cloud's, never a Data Center server. */
const CLOUD_HOSTS = new Set(['bitbucket.org', 'www.bitbucket.org', 'api.bitbucket.org']);
/** Refresh tokens of an incoming link last 90 days; each refresh answers a new one. */
const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/** What the admin's link must allow and what Connect asks for: `REPO_READ REPO_WRITE`. */
export function dataCenterOAuthScopes(): string[] {
  return (getScmProvider('bitbucket-data-center').oauth?.requiredScopes ?? []).map((requirement) => requirement.scope);
}

function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * Who a token belongs to: Data Center has no "current user" resource, but every authenticated
 * answer names the user in `X-AUSERNAME`; the user's slug then gives `displayName` and
 * `emailAddress` at `/users/{slug}` (the git author). Data Center derives slugs from user names in
 * lower case.
 */
async function readAccount(call: ProviderCall): Promise<ProviderAccount> {
  const { headers } = await dcRequest<DcApplicationProperties>(call, 'application-properties');
  const username = headers.get('x-ausername');
  if (!username) throw new ProviderApiError(401, 'unauthorized', `${NAME} (${call.endpoints.host}) did not say whose token this is (no X-AUSERNAME): the token was not accepted.`);
  const { body: user } = await dcRequest<DcUser>(call, `users/${segment(username.toLowerCase())}`);
  return {
    name: user.displayName ?? user.name ?? username,
    username: user.name ?? username,
    id: user.id === undefined ? null : String(user.id),
    email: user.emailAddress ?? null,
  };
}

export function createBitbucketDataCenterAdapter(): ProviderAdapter {
  return {
    id: 'bitbucket-data-center',
    name: NAME,

    defaultEndpoints(host) {
      if (host === '' || CLOUD_HOSTS.has(host.replace(/:\d+$/, ''))) return null;
      // A company's server: the site at https://{host}, the REST API at /rest/api/1.0.
      return { siteUrl: `https://${host}`, apiUrl: `https://${host}/rest/api/1.0` };
    },
    apiUrlForSite(siteUrl) {
      return `${siteUrl.replace(/\/+$/, '')}/rest/api/1.0`;
    },

    authorizeParameters() {
      return { scope: dataCenterOAuthScopes().join(' ') };
    },
    // "Authorization code with PKCE" is one of the incoming link's flows (Bitbucket 8.x and later).
    pkce: true,
    clientAuthentication(clientSecret) {
      // client_id and client_secret as parameters, as Atlassian's examples send them.
      return oauth.ClientSecretPost(clientSecret);
    },
    readOAuthRefusal: readOAuthRefusalOf,
    describeOAuthRefusal: describeDataCenterOAuthRefusal,
    judgeClientCheck: judgeDataCenterClientCheck,
    grantedScopes(tokens) {
      return typeof tokens.scope === 'string' ? tokens.scope.split(/\s+/).filter(Boolean) : [];
    },
    refresh: {
      // Access tokens last 2 hours; each refresh spends the refresh token and answers a new one.
      rotates: true,
      idleExpiryMs: REFRESH_TOKEN_LIFETIME_MS,
      classifyRefusal(refusal) {
        if (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client') return 'revoked';
        // invalid_grant is also what a refresh token already spent by a racing refresh gets.
        return null;
      },
      reasons: {
        revoked: 'Bitbucket Data Center no longer accepts this connection: the application link changed or access was revoked. Connect again.',
        idle: 'This Bitbucket Data Center connection was not used for 90 days and expired. Connect again.',
        interrupted: 'Refreshing the Bitbucket Data Center connection was interrupted. Connect again.',
        noRefreshToken: 'Bitbucket Data Center no longer accepts this connection’s token, and it cannot be renewed. Connect again.',
      },
    },

    whoAmI: readAccount,

    async checkPersonalAccessToken({ endpoints, token, fetch }) {
      const call: ProviderCall = { endpoints, authorization: bearer(token), fetch };
      const host = endpoints.host;
      try {
        const account = await readAccount(call);
        // A call that needs REPO_READ: the repositories the token may read.
        try {
          await dcRequest<{ values?: readonly DcRepository[] }>(call, 'repos', { limit: 1 });
        } catch (err) {
          if (err instanceof ProviderApiError && err.status === 403) {
            return {
              ok: false,
              code: 'missing_scope',
              message: `This HTTP access token lacks the Repository read permission (REPO_READ), which cloning needs. Create a token on ${host} with Project permissions: Read and Repository permissions: Write (to push), then paste it.`,
            };
          }
          throw err;
        }
        // The REST API does not say when a token expires: the flow keeps the date the developer gave.
        return { ok: true, account, scopes: ['REPO_READ'], expiresAt: null };
      } catch (err) {
        if (err instanceof ProviderApiError && err.status === 401) {
          return { ok: false, code: 'token_refused', message: `${NAME} (${host}) did not accept this token: it is wrong, expired or revoked. Create a new one and paste it.` };
        }
        if (err instanceof ProviderApiError) return { ok: false, code: err.code === 'provider_unreachable' || err.code === 'rate_limited' ? 'provider_unreachable' : 'token_refused', message: err.message };
        throw err;
      }
    },

    restAuthorization(token: TokenCredentials) {
      return bearer(token.accessToken);
    },
    // Git over HTTPS takes the token as the password; x-token-auth stands for the user name, for
    // OAuth tokens and HTTP access tokens alike.
    gitUsername() {
      return 'x-token-auth';
    },
    async probeToken(call) {
      await dcRequest(call, 'application-properties');
    },

    resolveContext: resolveDataCenterContext,
    // https://{host}/scm/{project key, lower case}/{slug}.git (personal: /scm/~user/{slug}.git).
    cloneUrl(siteUrl, repositoryPath) {
      const [key = '', slug = ''] = repositoryPath;
      return `${siteUrl.replace(/\/+$/, '')}/scm/${encodeURIComponent(key.toLowerCase())}/${encodeURIComponent(slug)}.git`;
    },
    // Manage account › HTTP access tokens, on the site in use.
    apiTokenCreateUrl(siteUrl) {
      return `${siteUrl.replace(/\/+$/, '')}/plugins/servlet/access-tokens/manage`;
    },

    // Data Center documents no endpoint to revoke an OAuth grant: the UI links the account page.
    async revoke() {
      return 'unsupported';
    },
  };
}

export const bitbucketDataCenterAdapter: ProviderAdapter = createBitbucketDataCenterAdapter();
