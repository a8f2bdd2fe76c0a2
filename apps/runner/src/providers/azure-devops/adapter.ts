// The runner's Azure DevOps adapter: dev.azure.com with Microsoft Entra ID OAuth (the tenant's
// endpoints found through OpenID discovery) and personal access tokens, and Azure DevOps Server
// (any host and collection path) with personal access tokens. docs/ARCHITECTURE.md › How to add a
// provider describes each member; the facts are cited where they are used.
import * as oauth from 'oauth4webapi';
import { getScmProvider } from '@runner-console/scm-providers';
import { basicAuthorization } from '../basic-authorization.ts';
import { readOAuthRefusalOf } from '../read-oauth-refusal.ts';
import { ProviderApiError, type ProviderAccount, type ProviderAdapter, type ProviderCall, type ProviderEndpoints, type TokenCheck, type TokenCredentials } from '../provider-adapter.ts';
import { azureRequest, pathOf, profileOrigin, type ConnectionData, type GitRepository, type Profile } from './azure-devops-api.ts';
import { resolveAzureDevopsContext } from './azure-devops-context.ts';
import { aadstsCode, describeEntraRefusal, discoverEntraTenant, judgeEntraClientCheck } from './entra-oauth.ts';

const CLOUD_HOST = 'dev.azure.com';
/** Azure DevOps' resource id in Entra: https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';
const RESOURCE_PREFIXES = [`${AZURE_DEVOPS_RESOURCE}/`, 'https://app.vssps.visualstudio.com/'];

/**
 * What the runner asks Entra for: the catalogue's Azure DevOps scopes under the resource, the
 * OpenID Connect scopes for the ID token, and offline_access for a refresh token.
 */
export function entraScopes(): string {
  const devops = (getScmProvider('azure-devops').oauth?.requiredScopes ?? []).map((requirement) => `${AZURE_DEVOPS_RESOURCE}/${requirement.scope}`);
  return [...devops, 'openid', 'profile', 'email', 'offline_access'].join(' ');
}

/** `499b84ac-…/vso.code_write openid` → both the full and the bare form of each Azure DevOps scope, and the rest as they are. */
export function readEntraScopes(scope: string | undefined, hasRefreshToken: boolean): string[] {
  const out = new Set<string>();
  for (const entry of (scope ?? '').split(/\s+/).filter(Boolean)) {
    out.add(entry);
    const prefix = RESOURCE_PREFIXES.find((candidate) => entry.toLowerCase().startsWith(candidate));
    if (prefix) out.add(entry.slice(prefix.length));
  }
  // Entra does not list offline_access in the answer: a refresh token is its grant.
  if (hasRefreshToken) out.add('offline_access');
  return [...out];
}

/** A PAT: HTTP Basic with an empty user name (https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate). */
function patAuthorization(token: string): string {
  return basicAuthorization('', token);
}

/** The collection of an Azure DevOps Server integration (its path on the host); null on dev.azure.com. */
function collectionOf(endpoints: ProviderEndpoints): string[] | null {
  const path = (endpoints.virtualDirectory ?? '').split('/').filter(Boolean);
  return path.length > 0 ? path : null;
}

async function readAccount(call: ProviderCall): Promise<ProviderAccount> {
  const collection = collectionOf(call.endpoints);
  if (collection) {
    // Azure DevOps Server has no profile API: the collection's connection data names the caller.
    const { body } = await azureRequest<ConnectionData>(call, `${call.endpoints.apiUrl}/${pathOf(collection)}/_apis/connectionData`);
    const user = body.authenticatedUser;
    const email = user.properties?.Account?.$value ?? null;
    return { name: user.providerDisplayName, username: email, id: user.id, email: email && email.includes('@') ? email : null };
  }
  // https://learn.microsoft.com/en-us/rest/api/azure/devops/profile/profiles/get?view=azure-devops-rest-7.1
  const { body } = await azureRequest<Profile>(call, `${profileOrigin(call.endpoints)}/_apis/profile/profiles/me`);
  return { name: body.displayName, username: body.emailAddress, id: body.id, email: body.emailAddress || null };
}

/**
 * Which organizations (dev.azure.com) or the collection (Server) a PAT reaches, and whether it can
 * read and push there: a PAT cannot tell its own scopes, so the runner probes a repository.
 */
async function probePatAccess(call: ProviderCall, account: ProviderAccount): Promise<TokenCheck> {
  const collection = collectionOf(call.endpoints);
  let scopesOf: string[][];
  if (collection) scopesOf = [collection];
  else {
    const { body } = await azureRequest<{ value?: { accountName: string }[] }>(call, `${profileOrigin(call.endpoints)}/_apis/accounts?memberId=${encodeURIComponent(account.id ?? '')}`);
    scopesOf = (body.value ?? []).slice(0, 5).map((org) => [org.accountName]);
  }
  const missing = (where: string) => ({
    ok: false as const,
    code: 'missing_scope' as const,
    message: `This personal access token cannot read the repositories of ${where}: it lacks the Code (Read & write) scope. Create a new token with Code › Read & write ticked, and paste it here.`,
  });
  for (const prefix of scopesOf) {
    let repositories: GitRepository[];
    try {
      repositories = (await azureRequest<{ value?: GitRepository[] }>(call, `${call.endpoints.apiUrl}/${pathOf(prefix)}/_apis/git/repositories`)).body.value ?? [];
    } catch (err) {
      if (err instanceof ProviderApiError && (err.status === 401 || err.status === 403)) return missing(prefix.join('/'));
      throw err;
    }
    const first = repositories.find((repository) => repository.name && repository.project?.name);
    if (!first) continue;
    // git's push handshake: 200 when the token may push, 401/403 when it may only read.
    const clone = `${call.endpoints.siteUrl}/${pathOf([...prefix, first.project!.name!])}/_git/${encodeURIComponent(first.name!)}`;
    const push = await call.fetch(`${clone}/info/refs?service=git-receive-pack`, { headers: { authorization: call.authorization }, redirect: 'manual', signal: AbortSignal.timeout(15_000) }).catch(() => null);
    await push?.body?.cancel().catch(() => undefined);
    if (push && (push.status === 401 || push.status === 403)) {
      return {
        ok: false,
        code: 'missing_scope',
        message: `This personal access token can read ${[...prefix, first.project!.name!, first.name!].join('/')} but not push to it: it needs Code › Read & write (not Read). Create a new token with it, and paste it here.`,
      };
    }
    return { ok: true, account, scopes: push?.ok ? ['vso.code_write'] : ['vso.code'], expiresAt: null };
  }
  // Nothing to probe: the context step names a missing scope when it meets one.
  return { ok: true, account, scopes: [], expiresAt: null };
}

export function createAzureDevopsAdapter(): ProviderAdapter {
  return {
    id: 'azure-devops',
    name: 'Azure DevOps',

    defaultEndpoints(host) {
      if (host === CLOUD_HOST) return { siteUrl: 'https://dev.azure.com', apiUrl: 'https://dev.azure.com' };
      // Azure DevOps Server: REST and git under the collection, at https://{host}/{collection}.
      return { siteUrl: `https://${host}`, apiUrl: `https://${host}` };
    },
    apiUrlForSite(siteUrl) {
      return siteUrl.replace(/\/+$/, '');
    },

    discoverAuthorizationServer({ endpoints, fetch }) {
      return discoverEntraTenant(endpoints, fetch);
    },
    authorizeParameters() {
      return { scope: entraScopes() };
    },
    // Entra falls back to the app's default scopes, or refuses (AADSTS90014), unless a refresh
    // names the scopes again: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
    refreshParameters() {
      return { scope: entraScopes() };
    },
    pkce: true,
    clientAuthentication(clientSecret) {
      return oauth.ClientSecretPost(clientSecret);
    },
    readOAuthRefusal: readOAuthRefusalOf,
    describeOAuthRefusal: describeEntraRefusal,
    judgeClientCheck: judgeEntraClientCheck,
    grantedScopes(tokens) {
      return readEntraScopes(typeof tokens.scope === 'string' ? tokens.scope : undefined, typeof tokens.refresh_token === 'string');
    },
    refresh: {
      // Entra access tokens last 60–90 minutes; each refresh answers a new refresh token (90 days
      // of inactivity end them). Refreshes are serialized, so two never race with one token.
      // https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens
      rotates: true,
      idleExpiryMs: 90 * 86_400_000,
      classifyRefusal(refusal) {
        const code = aadstsCode(refusal);
        if (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client' || code === 50173 || code === 65001 || code === 50057) return 'revoked';
        if (code === 700082) return 'idle';
        return null;
      },
      reasons: {
        revoked: 'Microsoft Entra ID no longer accepts this Azure DevOps connection: the consent was withdrawn, the account changed, or the app’s secret changed. Connect again.',
        idle: 'This Azure DevOps connection was unused for 90 days and expired. Connect again.',
        interrupted: 'Renewing the Azure DevOps connection was interrupted. Connect again.',
        noRefreshToken: 'Microsoft Entra ID gave this connection no refresh token, so it cannot be renewed. Connect again.',
      },
    },

    async whoAmI(call) {
      return readAccount(call);
    },

    async checkPersonalAccessToken({ endpoints, token, fetch }) {
      const call: ProviderCall = { endpoints, authorization: patAuthorization(token), fetch };
      try {
        const account = await readAccount(call);
        return await probePatAccess(call, account);
      } catch (err) {
        if (err instanceof ProviderApiError && err.status === 401) {
          return { ok: false, code: 'token_refused', message: `Azure DevOps (${endpoints.host}) did not accept this token: it is wrong, expired or revoked, or made for another organization. Create a new one and paste it.` };
        }
        if (err instanceof ProviderApiError) return { ok: false, code: err.code === 'provider_unreachable' || err.code === 'rate_limited' ? 'provider_unreachable' : 'token_refused', message: err.message };
        throw err;
      }
    },

    restAuthorization(token: TokenCredentials) {
      return token.kind === 'api_token' ? patAuthorization(token.accessToken) : `Bearer ${token.accessToken}`;
    },
    // Git takes any user name with the token as the password
    // (https://learn.microsoft.com/en-us/azure/devops/repos/git/auth-overview).
    gitUsername(token) {
      return token.kind === 'api_token' ? (getScmProvider('azure-devops').apiTokens?.gitUsername ?? 'pat') : 'oauth2';
    },
    async probeToken(call) {
      await readAccount(call);
    },

    async resolveContext({ call, context, accountName, cloneUrlFor }) {
      return resolveAzureDevopsContext({ call, context, accountName, tokenKind: call.authorization.startsWith('Basic ') ? 'api_token' : 'oauth', cloneUrlFor });
    },
    // Names: at most 64 characters, none of \ / : * ? " < > | # % or control characters
    // (https://learn.microsoft.com/en-us/azure/devops/organizations/settings/naming-restrictions).
    repositorySegment: /^[^\\/:*?"<>|#%\p{Cc}]{1,64}$/u,
    // The clone URL is the repository page's URL: https://dev.azure.com/{org}/{project}/_git/{repo}.
    cloneUrl(siteUrl, repositoryPath) {
      const [repo = '', project = '', ...prefix] = [...repositoryPath].reverse();
      return `${siteUrl.replace(/\/+$/, '')}/${pathOf([...prefix.reverse(), project])}/_git/${encodeURIComponent(repo)}`;
    },
    apiTokenCreateUrl(siteUrl) {
      const listed = getScmProvider('azure-devops').apiTokens?.createUrl;
      return listed ? `${siteUrl.replace(/\/+$/, '')}${new URL(listed).pathname}` : null;
    },

    // Entra has no endpoint that revokes one app's delegated grant for a user: the UI links the
    // user's apps page (catalogue docs.appAuthorizationsUrl).
    async revoke() {
      return 'unsupported';
    },
  };
}

export const azureDevopsAdapter: ProviderAdapter = createAzureDevopsAdapter();
