import * as oauth from 'oauth4webapi';
import { describeMissingApiTokenScopes, findMissingApiTokenScopes, getScmProvider } from '@runner-console/scm-providers';
import { ContextError } from '../../context/context-error.ts';
import { resolveRefSegments } from '../../context/resolve-ref.ts';
import { basicAuthorization } from '../basic-authorization.ts';
import {
  ProviderApiError,
  type ClientCheckVerdict,
  type OAuthRefusal,
  type OAuthRefusalMeaning,
  type ProviderAccount,
  type ProviderAdapter,
  type ProviderCall,
  type ResolvedContext,
  type TokenCheck,
  type TokenCredentials,
} from '../provider-adapter.ts';
import { readOAuthRefusalOf } from '../read-oauth-refusal.ts';
import { createBitbucketApi } from './bitbucket-api.ts';

const entry = getScmProvider('bitbucket');
const name = entry.name;
const CLOUD_HOST = 'bitbucket.org';

/** Bitbucket expires refresh tokens unused for 3 months (enforced since 4 May 2026). */
const refreshIdleLimitMs = 89 * 24 * 3600_000;

/**
 * Bitbucket Cloud. OAuth 2.0 at https://bitbucket.org/site/oauth2/{authorize,access_token}: the
 * scopes are set on the consumer, not per request; HTTP Basic client authentication; refresh
 * tokens rotate on every use. REST 2.0 at https://api.bitbucket.org/2.0.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/
 */
export const bitbucketAdapter: ProviderAdapter = {
  id: 'bitbucket',
  name,

  defaultEndpoints: (host) => (host === CLOUD_HOST ? { siteUrl: 'https://bitbucket.org', apiUrl: 'https://api.bitbucket.org/2.0' } : null),
  apiUrlForSite: (siteUrl) => `${siteUrl}/2.0`,
  legacyEndpointSettings: {
    host: CLOUD_HOST,
    site: { flag: 'bitbucket-url', env: 'BITBUCKET_URL', help: 'Bitbucket web, OAuth and git over HTTPS for bitbucket.org (default https://bitbucket.org). Same as --provider-endpoint bitbucket.org=URL.' },
    api: { flag: 'bitbucket-api-url', env: 'BITBUCKET_API_URL', help: 'The origin of the Bitbucket REST API for bitbucket.org (default https://api.bitbucket.org; /2.0 is added).' },
    apiUrlForOrigin: (origin) => `${origin}/2.0`,
  },

  // Bitbucket takes no `scope` parameter (the consumer's permissions apply) and documents no PKCE.
  authorizeParameters: () => ({}),
  pkce: false,
  clientAuthentication: (secret) => oauth.ClientSecretBasic(secret),
  readOAuthRefusal: readOAuthRefusalOf,
  describeOAuthRefusal(refusal, step): OAuthRefusalMeaning {
    // bitbucket.org answers a wrong secret with 400 unauthorized_client "Invalid OAuth client credentials".
    if (step === 'exchange' && (refusal.status === 401 || refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client')) {
      return { failureCode: 'invalid_client', message: 'Bitbucket refused the runner’s OAuth Key and Secret. Ask an admin to validate the Bitbucket integration.' };
    }
    if (refusal.error === 'access_denied') return { failureCode: 'access_denied', message: 'You cancelled access on Bitbucket. Click Connect again when you are ready.' };
    const failureCode = refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client' ? 'invalid_client' : 'provider_error';
    return { failureCode, message: bitbucketErrorMessage(refusal.error, refusal.description) };
  },
  /**
   * A code that cannot exist, sent with the admin's Key and Secret: the token endpoint authenticates
   * the client first, so bitbucket.org answers `400 unauthorized_client` ("Invalid OAuth client
   * credentials") for a wrong key or secret (RFC 6749 §5.2's `invalid_client` 401 is accepted too),
   * and `invalid_grant` (400) for good credentials with a bad code.
   */
  judgeClientCheck(refusal, status): ClientCheckVerdict {
    if (status === 401 || refusal?.error === 'invalid_client' || refusal?.error === 'unauthorized_client') {
      return { status: 'invalid_credentials', message: 'Bitbucket refused this Key and Secret. Copy both again from the OAuth consumer and save.' };
    }
    if (refusal?.error === 'invalid_grant' || refusal?.error === 'invalid_request') return { status: 'valid', message: 'Bitbucket accepted the Key and Secret.' };
    return { status: 'provider_unreachable', message: `Bitbucket answered unexpectedly (HTTP ${status}). Try again later.` };
  },
  /** Bitbucket answers `scope` (space-separated) since May 2026; earlier it sent `scopes`. */
  grantedScopes(tokens) {
    const raw = tokens.scope ?? (tokens as { scopes?: unknown }).scopes ?? '';
    return String(raw).split(/\s+/).filter(Boolean);
  },
  refresh: {
    rotates: true,
    idleExpiryMs: refreshIdleLimitMs,
    classifyRefusal(refusal: OAuthRefusal) {
      if (refusal.error === 'unauthorized_client' || refusal.error === 'invalid_client') return 'revoked';
      if (/3 months|not used|unused|expired/i.test(refusal.description ?? '')) return 'idle';
      return null;
    },
    reasons: {
      revoked: 'Bitbucket no longer accepts this connection (access was revoked or the OAuth consumer changed). Connect again.',
      idle: 'Bitbucket expires sign-ins that are not used for 3 months, and this one expired. Connect again.',
      interrupted:
        'The runner lost Bitbucket’s answer while it renewed your sign-in (it was stopped, or the connection broke), and Bitbucket had already replaced the old one. Connect again.',
      noRefreshToken: 'Bitbucket gave no refresh token. Connect again.',
    },
  },

  async whoAmI(call: ProviderCall): Promise<ProviderAccount> {
    const api = createBitbucketApi(call.endpoints, call.authorization, call.fetch);
    // The account and its e-mail are asked for together. /user/emails needs `email` (implied by
    // `account`); without it the e-mail stays empty.
    const emailRequest = api
      .emails()
      .then((emails) => emails.find((e) => e.is_primary && e.is_confirmed)?.email ?? null)
      .catch(() => null);
    const user = await api.user();
    // Atlassian's schema makes display_name optional; a nickname is the next best name to show.
    return { name: user.display_name ?? user.nickname ?? 'your Bitbucket account', username: user.nickname ?? null, id: user.uuid ?? null, email: await emailRequest };
  },

  async checkPersonalAccessToken({ endpoints, token, email, fetch: httpFetch }): Promise<TokenCheck> {
    const loginEmail = email ?? '';
    const authorization = basicAuthorization(loginEmail, token);
    const get = async (url: string, auth: string) => {
      try {
        return await httpFetch(url, { headers: { authorization: auth, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
      } catch {
        return null;
      }
    };
    const unreachable: TokenCheck = { ok: false, code: 'provider_unreachable', message: `${name} could not be reached from the runner. Try again in a moment.` };
    const userRes = await get(`${endpoints.apiUrl}/user`, authorization);
    if (!userRes) return unreachable;
    if (userRes.status === 401) {
      await userRes.body?.cancel();
      // Is the token itself good? Git over HTTPS takes it with `x-bitbucket-api-token-auth`, no
      // e-mail needed. A repository that does not exist answers 401 for a bad token and 403/404 for
      // a good one (inferred from Bitbucket's behaviour: credentials are checked before the
      // repository is looked up). Nothing is read or written.
      const gitUser = entry.apiTokens?.gitUsername ?? 'x-bitbucket-api-token-auth';
      const probe = await get(`${endpoints.siteUrl}/${gitUser}/runner-console-token-check.git/info/refs?service=git-upload-pack`, basicAuthorization(gitUser, token));
      if (!probe) return unreachable;
      await probe.body?.cancel();
      if (probe.status === 403 || probe.status === 404) {
        return { ok: false, code: 'wrong_email', message: `${name} accepts this API token, but not with ${loginEmail}. Enter the e-mail address of the Atlassian account that created the token.` };
      }
      return { ok: false, code: 'token_refused', message: `${name} did not accept this API token: it is wrong, expired or revoked. Create a new token and paste it here.` };
    }
    if (userRes.status === 403) {
      const body = (await userRes.json().catch(() => ({}))) as { error?: { detail?: { granted?: unknown } } };
      const granted = Array.isArray(body.error?.detail?.granted) ? body.error.detail.granted.map(String) : [];
      return { ok: false, code: 'missing_scope', message: describeMissingApiTokenScopes('bitbucket', findMissingApiTokenScopes('bitbucket', granted)) };
    }
    if (!userRes.ok) {
      await userRes.body?.cancel();
      return { ok: false, code: 'provider_unreachable', message: `${name} answered with an error (HTTP ${userRes.status}). Try again in a moment.` };
    }
    const user = (await userRes.json()) as { uuid?: string; display_name?: string; nickname?: string; username?: string };
    // The token's scopes: from X-OAuth-Scopes when Bitbucket sends it (as for OAuth tokens; the
    // emulator does), otherwise by asking an endpoint per read scope (see probeReadScopes).
    const header = userRes.headers.get('x-oauth-scopes');
    const scopes = header !== null ? header.split(/[\s,]+/).filter(Boolean) : await probeReadScopes(endpoints.apiUrl, authorization, user.uuid, get);
    const missing = findMissingApiTokenScopes('bitbucket', scopes);
    if (missing.length > 0) return { ok: false, code: 'missing_scope', message: describeMissingApiTokenScopes('bitbucket', missing) };
    // The git author's e-mail: the primary confirmed address, else the one the token was entered with.
    const emailsRes = await get(`${endpoints.apiUrl}/user/emails`, authorization);
    const emails = emailsRes?.ok ? ((await emailsRes.json().catch(() => ({}))) as { values?: { email: string; is_primary: boolean; is_confirmed: boolean }[] }) : {};
    const authorEmail = emails.values?.find((e) => e.is_primary && e.is_confirmed)?.email ?? loginEmail;
    return {
      ok: true,
      account: { name: user.display_name ?? user.nickname ?? loginEmail, username: user.nickname ?? user.username ?? null, id: user.uuid ?? null, email: authorEmail },
      scopes,
      // Bitbucket does not say when an API token expires: the flow takes the developer's date.
      expiresAt: null,
    };
  },

  /** The REST API's Authorization header: Bearer for OAuth, Basic `email:token` for an API token. */
  restAuthorization: (token: TokenCredentials) => (token.kind === 'api_token' ? basicAuthorization(token.loginEmail ?? '', token.accessToken) : `Bearer ${token.accessToken}`),
  /**
   * OAuth: `x-token-auth` (https://support.atlassian.com/bitbucket-cloud/docs/using-access-tokens/).
   * API token: `x-bitbucket-api-token-auth` (https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/).
   */
  gitUsername: (token) => (token.kind === 'api_token' ? (entry.apiTokens?.gitUsername ?? 'x-bitbucket-api-token-auth') : 'x-token-auth'),
  async probeToken(call) {
    await createBitbucketApi(call.endpoints, call.authorization, call.fetch).user();
  },

  async resolveContext({ call, context: ctx, accountName, cloneUrlFor }): Promise<ResolvedContext> {
    const api = createBitbucketApi(call.endpoints, call.authorization, call.fetch);
    const [owner, repo] = [ctx.owner, ctx.repo];
    const full = `${owner}/${repo}`;
    // Built from the runner's own endpoints, not taken from the API's `links.clone`: the same URL,
    // without the user name Bitbucket puts in it.
    const cloneUrl = cloneUrlFor(ctx.repositoryPath);
    const repository = await api.repository(owner, repo).catch((err) => {
      if (err instanceof ProviderApiError && err.status === 404) {
        throw new ContextError('repository_not_found', `Bitbucket says ${full} does not exist, or your account (${accountName}) cannot see it. Check the URL, or ask the repository's owner for access.`);
      }
      throw err;
    });
    const base = { host: ctx.host, owner, repo, cloneUrl };
    const orNull = <T>(promise: Promise<T>) =>
      promise.catch((err) => {
        if (err instanceof ProviderApiError && err.status === 404) return undefined;
        throw err;
      });
    const findBranch = async (branchName: string) => {
      const branch = await orNull(api.branch(owner, repo, branchName));
      return branch && { name: required(branch.name, 'branch name'), hash: required(branch.target?.hash, 'branch commit') };
    };
    const findTag = async (tagName: string) => {
      const tag = await orNull(api.tag(owner, repo, tagName));
      return tag && { name: required(tag.name, 'tag name'), hash: required(tag.target?.hash, 'tag commit') };
    };
    const findCommit = async (hash: string) => {
      const commit = await orNull(api.commit(owner, repo, hash));
      return commit && required(commit.hash, 'commit hash');
    };

    switch (ctx.kind) {
      case 'pullRequest': {
        const pr = await api.pullRequest(owner, repo, ctx.pullRequestId).catch((err) => {
          if (err instanceof ProviderApiError && err.status === 404) throw new ContextError('ref_not_found', `Pull request #${ctx.pullRequestId} was not found in ${full}.`);
          throw err;
        });
        const sourceBranch = required(pr.source?.branch?.name, 'pull request source branch');
        const branch = await findBranch(sourceBranch);
        return {
          ...base,
          kind: 'pullRequest',
          ref: sourceBranch,
          refType: 'branch',
          // The pull request names an abbreviated hash; the branch head has the full one.
          commit: branch?.hash ?? required(pr.source?.commit?.hash, 'pull request source commit'),
          pullRequest: {
            id: required(pr.id, 'pull request id'),
            title: pr.title ?? '',
            sourceBranch,
            targetBranch: required(pr.destination?.branch?.name, 'pull request destination branch'),
          },
        };
      }
      case 'commit': {
        const hash = await findCommit(ctx.commit);
        if (!hash) throw new ContextError('ref_not_found', `Commit ${ctx.commit} was not found in ${full}.`);
        // `/src/{sha}/?at={branch}`: the commit, checked out on its branch, so there is something to push to.
        if (ctx.branch && (await findBranch(ctx.branch))) return { ...base, kind: 'commit', ref: ctx.branch, refType: 'branch', commit: hash, pullRequest: null };
        return { ...base, kind: 'commit', ref: hash, refType: 'commit', commit: hash, pullRequest: null };
      }
      case 'branch': {
        const branch = await findBranch(ctx.branch);
        if (!branch) throw new ContextError('ref_not_found', `Branch ${ctx.branch} was not found in ${full}.`);
        return { ...base, kind: 'branch', ref: branch.name, refType: 'branch', commit: branch.hash, pullRequest: null };
      }
      case 'tag': {
        const tag = await findTag(ctx.tag);
        if (!tag) throw new ContextError('ref_not_found', `Tag ${ctx.tag} was not found in ${full}.`);
        return { ...base, kind: 'tag', ref: tag.name, refType: 'tag', commit: tag.hash, pullRequest: null };
      }
      case 'ref': {
        const found = await resolveRefSegments(ctx.refSegments, { findBranch, findTag, findCommit });
        if (!found) throw new ContextError('ref_not_found', `No branch or tag ${ctx.refSegments.join('/')} was found in ${full}.`);
        return { ...base, kind: found.refType === 'commit' ? 'commit' : found.refType, ref: found.ref, refType: found.refType, commit: found.commit, pullRequest: null };
      }
      case 'repository': {
        const main = repository.mainbranch?.name ?? 'main';
        const branch = await findBranch(main);
        if (!branch) throw new ContextError('ref_not_found', `${full} has no main branch yet. Push a commit first.`);
        return { ...base, kind: 'repository', ref: main, refType: 'branch', commit: branch.hash, pullRequest: null };
      }
    }
  },
  /** `{site}/{workspace}/{repo}.git`, Bitbucket's HTTPS clone URL without the user name it shows. */
  cloneUrl: (siteUrl, repositoryPath) => `${siteUrl.replace(/\/+$/, '')}/${repositoryPath.join('/')}.git`,

  // Bitbucket Cloud documents no token revocation endpoint: users revoke on the app
  // authorizations page (the catalogue's docs.appAuthorizationsUrl).
  revoke: async () => 'unsupported',

  apiTokenCreateUrl: (siteUrl) => (new URL(siteUrl).hostname === CLOUD_HOST ? (entry.apiTokens?.createUrl ?? null) : `${siteUrl}/account/settings/api-tokens/`),
};

/** Atlassian's schema makes every field optional; one the runner needs and does not get is a provider error. */
function required<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null || value === '') throw new ProviderApiError(502, 'provider_error', `Bitbucket's answer had no ${what}. Try again later.`);
  return value;
}

/**
 * Without a scopes header: one harmless read per read scope, each answered 403 when the token lacks
 * it (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/ and
 * …/api-group-pullrequests/ list the scope of each endpoint). write:repository:bitbucket cannot be
 * proved without writing, so it is assumed here; a push without it fails with Bitbucket's message.
 */
async function probeReadScopes(apiUrl: string, authorization: string, userUuid: string | undefined, get: (url: string, auth: string) => Promise<Response | null>): Promise<string[]> {
  const granted = ['read:user:bitbucket', 'write:repository:bitbucket'];
  const probes: [string, string][] = [['read:repository:bitbucket', `${apiUrl}/repositories?role=member&pagelen=1`]];
  if (userUuid) probes.push(['read:pullrequest:bitbucket', `${apiUrl}/pullrequests/${encodeURIComponent(userUuid)}?pagelen=1`]);
  for (const [scope, url] of probes) {
    const res = await get(url, authorization);
    await res?.body?.cancel();
    if (res && res.status !== 403) granted.push(scope);
  }
  return granted;
}

function bitbucketErrorMessage(error: string, description: string | null): string {
  const known: Record<string, string> = {
    invalid_grant: 'Bitbucket did not accept the sign-in code (it was already used or expired). Click Connect again.',
    invalid_request: 'Bitbucket refused the sign-in request. Ask an admin to check that the OAuth consumer’s callback URL matches the one in Runner Console.',
    unauthorized_client: 'Bitbucket refused the runner’s OAuth consumer. Ask an admin to validate the Bitbucket integration.',
    invalid_client: 'Bitbucket refused the runner’s OAuth Key and Secret. Ask an admin to validate the Bitbucket integration.',
    server_error: 'Bitbucket had a problem. Try again in a moment.',
    temporarily_unavailable: 'Bitbucket is temporarily unavailable. Try again in a moment.',
  };
  return known[error] ?? `Bitbucket answered "${error}"${description ? `: ${description}` : ''}. Click Connect again.`;
}
