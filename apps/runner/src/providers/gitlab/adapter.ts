// The runner's GitLab adapter: gitlab.com and self-managed GitLab, with OAuth applications (PKCE,
// 2-hour tokens whose refresh rotates the pair) and personal access tokens. docs/ARCHITECTURE.md ›
// How to add a provider describes each member; the facts are cited where they are used.
import * as oauth from 'oauth4webapi';
import { describeMissingApiTokenScopes, findMissingApiTokenScopes, getScmProvider, splitScopes } from '@runner-console/scm-providers';
import { ProviderApiError, type ProviderAccount, type ProviderAdapter, type ProviderCall, type TokenCheck, type TokenCredentials } from '../provider-adapter.ts';
import { gitlabList, gitlabRequest, type GitLabPersonalAccessToken, type GitLabUser } from './gitlab-api.ts';
import { resolveGitLabContext } from './gitlab-context.ts';
import { describeGitLabOAuthRefusal, judgeGitLabClientCheck, readGitLabOAuthRefusal } from './gitlab-oauth.ts';

const CLOUD_HOST = 'gitlab.com';
const API_PATH = '/api/v4';

/** The scopes an application is asked for, from the catalogue entry (read_user read_api read_repository write_repository). */
export function gitlabOAuthScopes(): string[] {
  return (getScmProvider('gitlab').oauth?.requiredScopes ?? []).map((requirement) => requirement.scope);
}

function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * The account: name, username, id, and the commit e-mail (GitLab's `commit_email`, which is the
 * primary e-mail unless the user chose another), used as the git author. /user answers the user's
 * own e-mail to a token with read_user; a token without it falls back to the confirmed addresses.
 */
async function readAccount(call: ProviderCall): Promise<ProviderAccount> {
  const { body: user } = await gitlabRequest<GitLabUser>(call, 'user');
  let email = (typeof user.commit_email === 'string' && user.commit_email !== '' ? user.commit_email : null) ?? (typeof user.email === 'string' && user.email !== '' ? user.email : null);
  if (email === null) {
    const emails = await gitlabList<{ email: string; confirmed_at: string | null }>(call, 'user/emails').catch(() => []);
    email = emails.find((entry) => entry.confirmed_at !== null)?.email ?? null;
  }
  return { name: user.name || user.username, username: user.username, id: String(user.id), email };
}

/** `2026-12-31` (the token stops working at 00:00 UTC that day) as an ISO date-time; null without one. */
function expiryOf(expiresAt: string | null | undefined): string | null {
  if (typeof expiresAt !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(expiresAt)) return null;
  const time = Date.parse(expiresAt.length === 10 ? `${expiresAt}T00:00:00Z` : expiresAt);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

export function createGitLabAdapter(): ProviderAdapter {
  return {
    id: 'gitlab',
    name: 'GitLab',

    defaultEndpoints(host) {
      // gitlab.com and a self-managed instance alike: the site at https://{host}, the REST API at /api/v4.
      // https://docs.gitlab.com/api/rest/
      const site = host === CLOUD_HOST ? 'https://gitlab.com' : `https://${host}`;
      return { siteUrl: site, apiUrl: `${site}${API_PATH}` };
    },
    apiUrlForSite(siteUrl) {
      return `${siteUrl.replace(/\/+$/, '')}${API_PATH}`;
    },

    authorizeParameters() {
      return { scope: gitlabOAuthScopes().join(' ') };
    },
    // https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce
    pkce: true,
    // Doorkeeper takes the client's credentials in the body or as HTTP Basic.
    clientAuthentication(clientSecret) {
      return oauth.ClientSecretPost(clientSecret);
    },
    readOAuthRefusal: readGitLabOAuthRefusal,
    describeOAuthRefusal: describeGitLabOAuthRefusal,
    judgeClientCheck: judgeGitLabClientCheck,
    grantedScopes(tokens) {
      // `"scope": "read_user read_api read_repository write_repository"`.
      return splitScopes('gitlab', [typeof tokens.scope === 'string' ? tokens.scope : '']);
    },
    refresh: {
      // Access tokens last 2 hours; a refresh answers a new pair and revokes the old one
      // (https://docs.gitlab.com/api/oauth2/, https://docs.gitlab.com/integration/oauth_provider/#access-token-expiration).
      // Refresh tokens do not expire while unused.
      rotates: true,
      idleExpiryMs: null,
      classifyRefusal(refusal) {
        if (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client') return 'revoked';
        // invalid_grant is also what a refresh token already spent by a racing refresh gets.
        return null;
      },
      reasons: {
        revoked: 'GitLab no longer accepts this connection: it was revoked on GitLab, or the application changed. Connect again.',
        idle: 'This GitLab connection expired. Connect again.',
        interrupted: 'Refreshing the GitLab connection was interrupted. Connect again.',
        noRefreshToken: 'GitLab no longer accepts this connection’s token, and it cannot be renewed. Connect again.',
      },
    },

    whoAmI: readAccount,

    async checkPersonalAccessToken({ endpoints, token, fetch }) {
      const call: ProviderCall = { endpoints, authorization: bearer(token), fetch };
      // https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token
      let self: GitLabPersonalAccessToken;
      try {
        self = (await gitlabRequest<GitLabPersonalAccessToken>(call, 'personal_access_tokens/self')).body;
      } catch (err) {
        if (err instanceof ProviderApiError && err.status === 401) {
          return { ok: false, code: 'token_refused', message: `GitLab (${endpoints.host}) did not accept this token: it is wrong, expired or revoked. Create a new one and paste it.` };
        }
        if (err instanceof ProviderApiError && err.status === 404) {
          return { ok: false, code: 'token_refused', message: `GitLab (${endpoints.host}) says this is not a personal access token. Create one on GitLab’s personal access token page and paste it.` };
        }
        if (err instanceof ProviderApiError) return { ok: false, code: err.code === 'provider_unreachable' || err.code === 'rate_limited' ? 'provider_unreachable' : 'token_refused', message: err.message };
        throw err;
      }
      if (self.revoked || !self.active) return { ok: false, code: 'token_expired', message: 'GitLab says this token is revoked or expired. Create a new one and paste it.' };
      const scopes = self.scopes ?? [];
      const missing = findMissingApiTokenScopes('gitlab', scopes);
      if (missing.length > 0) return { ok: false, code: 'missing_scope', message: describeMissingApiTokenScopes('gitlab', missing) };
      try {
        return { ok: true, account: await readAccount(call), scopes, expiresAt: expiryOf(self.expires_at) } satisfies TokenCheck;
      } catch (err) {
        if (err instanceof ProviderApiError) return { ok: false, code: err.code === 'provider_unreachable' || err.code === 'rate_limited' ? 'provider_unreachable' : 'token_refused', message: err.message };
        throw err;
      }
    },

    restAuthorization(token: TokenCredentials) {
      return bearer(token.accessToken);
    },
    // https://docs.gitlab.com/api/oauth2/#access-git-over-https-with-access-token: `oauth2` for
    // OAuth tokens; GitLab takes any user name with a personal access token.
    gitUsername() {
      return 'oauth2';
    },
    async probeToken(call) {
      await gitlabRequest(call, 'user');
    },

    resolveContext({ call, context, accountName, cloneUrlFor }) {
      return resolveGitLabContext({ call, context, accountName, cloneUrlFor });
    },
    cloneUrl(siteUrl, repositoryPath) {
      return `${siteUrl.replace(/\/+$/, '')}/${repositoryPath.join('/')}.git`;
    },
    // User settings › Access tokens, with the name and scopes filled in, on the site in use.
    apiTokenCreateUrl(siteUrl) {
      const listed = getScmProvider('gitlab').apiTokens?.createUrl;
      if (!listed) return null;
      const url = new URL(listed);
      return `${siteUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
    },

    async revoke({ endpoints, clientId, clientSecret, token, fetch }) {
      // A personal access token is the developer's own: only they revoke it on GitLab.
      if (token.kind !== 'oauth') return 'unsupported';
      // https://docs.gitlab.com/api/oauth2/#revoke-a-token (RFC 7009): 200 for a token revoked or unknown.
      try {
        const response = await fetch(`${endpoints.siteUrl}${getScmProvider('gitlab').oauth?.revokeEndpoint ?? '/oauth/revoke'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, token: token.accessToken }),
          redirect: 'error',
          signal: AbortSignal.timeout(15_000),
        });
        await response.body?.cancel();
        return response.ok ? 'revoked' : 'failed';
      } catch {
        return 'failed';
      }
    },
  };
}

export const gitlabAdapter: ProviderAdapter = createGitLabAdapter();
