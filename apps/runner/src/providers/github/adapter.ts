// The runner's GitHub adapter: github.com and GitHub Enterprise Server, with OAuth Apps, GitHub
// App user tokens and personal access tokens (classic and fine-grained). docs/ARCHITECTURE.md ›
// How to add a provider describes each member; the facts are cited where they are used.
import * as oauth from 'oauth4webapi';
import { getScmProvider } from '@runner-console/scm-providers';
import {
  ProviderApiError,
  type ProviderAccount,
  type ProviderAdapter,
  type ProviderCall,
  type TokenCheck,
  type TokenCredentials,
} from '../provider-adapter.ts';
import { basicAuthorization } from '../basic-authorization.ts';
import { githubRequest, pathOf, type GitHubEmail, type GitHubUser } from './github-api.ts';
import { resolveGitHubContext } from './github-context.ts';
import { describeGitHubOAuthRefusal, judgeGitHubClientCheck, readGitHubOAuthRefusal } from './github-oauth.ts';

const CLOUD_HOST = 'github.com';

/**
 * What an OAuth App asks for, from the catalogue entry
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps).
 * GitHub Apps ignore `scope`: their access is the app's permissions.
 */
export function githubOAuthScopes(): string[] {
  return (getScmProvider('github').oauth?.requiredScopes ?? []).map((requirement) => requirement.scope);
}

/** The scope a classic token needs to clone and push private repositories. */
const REPOSITORY_SCOPE = 'repo';

/** `X-OAuth-Scopes: repo, read:user` and the token answer's `"scope": "repo,read:user"`. */
export function splitGitHubScopes(value: string | null | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((scope) => scope.trim())
    .filter((scope) => scope.length > 0);
}

/**
 * `GitHub-Authentication-Token-Expiration: 2026-12-31 23:59:59 UTC` (or with a `+0000` offset)
 * as an ISO date-time; null when absent or unreadable.
 */
export function readTokenExpiration(value: string | null): string | null {
  if (value === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})\s*(UTC|Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return null;
  const zone = match[3] === undefined || match[3] === 'UTC' || match[3] === 'Z' ? 'Z' : match[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const time = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

// Token prefixes: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
/** GitHub App user tokens start with ghu_. */
function isAppUserToken(token: string): boolean {
  return token.startsWith('ghu_');
}

function reachOf(token: string): 'app' | 'fine_grained' | 'account' {
  if (isAppUserToken(token)) return 'app';
  return token.startsWith('github_pat_') ? 'fine_grained' : 'account';
}

function bearer(token: string): string {
  return `Bearer ${token}`;
}


/** The primary verified address; null when the token may not read addresses (no user:email, no Email permission). */
async function primaryVerifiedEmail(call: ProviderCall): Promise<string | null> {
  try {
    const { body } = await githubRequest<GitHubEmail[]>(call, 'user/emails?per_page=100');
    return (Array.isArray(body) ? body : []).find((email) => email.primary && email.verified)?.email ?? null;
  } catch (err) {
    if (err instanceof ProviderApiError && (err.code === 'forbidden' || err.code === 'not_found')) return null;
    throw err;
  }
}

async function readAccount(call: ProviderCall): Promise<{ account: ProviderAccount; headers: Headers }> {
  // Both at once: the Connect popup waits for them. A rate limit or a dead token on either is an answer.
  const [{ body: user, headers }, verified] = await Promise.all([githubRequest<GitHubUser>(call, 'user'), primaryVerifiedEmail(call)]);
  const email = verified ?? (typeof user.email === 'string' && user.email !== '' ? user.email : null);
  return {
    account: { name: user.name ?? user.login, username: user.login, id: String(user.id), email },
    headers,
  };
}

export function createGitHubAdapter(): ProviderAdapter {
  return {
    id: 'github',
    name: 'GitHub',

    defaultEndpoints(host) {
      if (host === CLOUD_HOST) return { siteUrl: 'https://github.com', apiUrl: 'https://api.github.com' };
      // GitHub Enterprise Server: the site at https://{host}, the REST API at /api/v3.
      // https://docs.github.com/en/enterprise-server@3.17/rest/quickstart
      return { siteUrl: `https://${host}`, apiUrl: `https://${host}/api/v3` };
    },
    apiUrlForSite(siteUrl) {
      return `${siteUrl.replace(/\/+$/, '')}/api/v3`;
    },

    authorizeParameters() {
      return { scope: githubOAuthScopes().join(' ') };
    },
    // GitHub takes PKCE S256 on the web flow of OAuth Apps and GitHub Apps (July 2025).
    pkce: true,
    clientAuthentication(clientSecret) {
      return oauth.ClientSecretPost(clientSecret);
    },
    readOAuthRefusal: readGitHubOAuthRefusal,
    describeOAuthRefusal: describeGitHubOAuthRefusal,
    judgeClientCheck: judgeGitHubClientCheck,
    grantedScopes(tokens, headers) {
      // A GitHub App's user token has no scopes (`"scope": ""`): its reach is the app's permissions
      // (Contents, Pull requests, Metadata, Email addresses: the modal lists them), narrowed to the
      // installation's repositories, which the context step meets as a 404 and explains. It stands
      // for the scopes the product asks of an OAuth App, so the scope check does not refuse it.
      if (isAppUserToken(tokens.access_token)) return githubOAuthScopes();
      const fromHeader = headers?.get('x-oauth-scopes');
      return [...new Set([...splitGitHubScopes(typeof tokens.scope === 'string' ? tokens.scope : ''), ...splitGitHubScopes(fromHeader)])];
    },
    refresh: {
      // GitHub App user tokens: 8 hours, and each refresh spends the refresh token (ghr_, about
      // 6 months). OAuth App tokens do not expire and come without a refresh token.
      // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
      rotates: true,
      idleExpiryMs: null,
      classifyRefusal(refusal) {
        if (refusal.error === 'incorrect_client_credentials' || refusal.error === 'invalid_client') return 'revoked';
        // bad_refresh_token is also what a refresh token already spent by a racing refresh gets.
        return null;
      },
      reasons: {
        revoked: 'GitHub no longer accepts this connection: it was revoked on GitHub, or the app changed. Connect again.',
        idle: 'This GitHub connection expired. Connect again.',
        interrupted: 'Refreshing the GitHub connection was interrupted. Connect again.',
        noRefreshToken: 'GitHub no longer accepts this connection’s token, and it cannot be renewed. Connect again.',
      },
    },

    async whoAmI(call) {
      return (await readAccount(call)).account;
    },

    async checkPersonalAccessToken({ endpoints, token, expiresOn, fetch }) {
      const call: ProviderCall = { endpoints, authorization: bearer(token), fetch };
      let read: { account: ProviderAccount; headers: Headers };
      try {
        read = await readAccount(call);
      } catch (err) {
        if (err instanceof ProviderApiError && err.status === 401) {
          return { ok: false, code: 'token_refused', message: `GitHub (${endpoints.host}) did not accept this token: it is wrong, expired or revoked. Create a new one and paste it.` };
        }
        if (err instanceof ProviderApiError && err.code === 'rate_limited') return { ok: false, code: 'provider_unreachable', message: err.message };
        if (err instanceof ProviderApiError) {
          return { ok: false, code: err.code === 'provider_unreachable' ? 'provider_unreachable' : 'token_refused', message: err.message };
        }
        throw err;
      }
      const { account, headers } = read;
      const expiresAt = readTokenExpiration(headers.get('github-authentication-token-expiration')) ?? (expiresOn ? new Date(`${expiresOn}T23:59:59Z`).toISOString() : null);
      const scopeHeader = headers.get('x-oauth-scopes');
      if (scopeHeader === null) {
        // A fine-grained token has no scopes: its reach is the repositories and permissions it
        // was made with, which the context step probes on the repository itself.
        return { ok: true, account, scopes: [], expiresAt } satisfies TokenCheck;
      }
      const scopes = splitGitHubScopes(scopeHeader);
      if (!scopes.includes(REPOSITORY_SCOPE)) {
        return {
          ok: false,
          code: 'missing_scope',
          message: `This classic token lacks the "${REPOSITORY_SCOPE}" scope, which cloning and pushing need. Edit the token on GitHub to tick "${REPOSITORY_SCOPE}" (and user:email for the git author's e-mail), then paste it again.`,
        };
      }
      return { ok: true, account, scopes, expiresAt };
    },

    restAuthorization(token: TokenCredentials) {
      return bearer(token.accessToken);
    },
    // https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/authenticating-as-a-github-app-installation#about-authentication-as-a-github-app-installation
    // GitHub takes any user name with a token; x-access-token is the documented one.
    gitUsername() {
      return 'x-access-token';
    },
    async probeToken(call) {
      await githubRequest(call, 'user');
    },

    async resolveContext({ call, context, accountName, cloneUrlFor }) {
      const token = /^Bearer\s+(\S+)$/i.exec(call.authorization)?.[1] ?? '';
      return resolveGitHubContext({ call, context, accountName, tokenReach: reachOf(token), cloneUrlFor });
    },
    cloneUrl(siteUrl, repositoryPath) {
      return `${siteUrl.replace(/\/+$/, '')}/${repositoryPath.join('/')}.git`;
    },
    // Settings › Developer settings › Personal access tokens, with the scopes ticked, on the site in use.
    apiTokenCreateUrl(siteUrl) {
      const listed = getScmProvider('github').apiTokens?.createUrl;
      if (!listed) return null;
      const url = new URL(listed);
      return `${siteUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
    },

    async revoke({ endpoints, clientId, clientSecret, token, fetch }) {
      // A personal access token is the developer's own: only they can delete it on GitHub.
      if (token.kind !== 'oauth') return 'unsupported';
      const call: ProviderCall = { endpoints, authorization: basicAuthorization(clientId, clientSecret), fetch };
      try {
        await githubRequest(call, `applications/${pathOf([clientId])}/grant`, { method: 'DELETE', body: { access_token: token.accessToken } });
        return 'revoked';
      } catch (err) {
        // 404: GitHub no longer knows the token (revoked on GitHub already): nothing is left to revoke.
        if (err instanceof ProviderApiError && err.status === 404) return 'revoked';
        return 'failed';
      }
    },
  };
}

export const githubAdapter: ProviderAdapter = createGitHubAdapter();
