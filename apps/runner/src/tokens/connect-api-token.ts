import type { ConnectApiTokenResult } from '@runner-console/contracts';
import { ConnectApiTokenParams } from '@runner-console/contracts';
import { EnvelopeError, inspectEnvelope, openClientSecret } from '@runner-console/envelope';
import { describeMissingApiTokenScopes, findMissingApiTokenScopes, getScmProvider, readApiTokenInput } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import type { RunnerKeyring } from '../keys/runner-keys.ts';
import type { Logger } from '../logger.ts';
import { endpointsForHost } from '../oauth/provider-endpoints.ts';
import { basicAuthorization, gitCredentialsFor } from './provider-credentials.ts';
import type { TokenStore } from './token-store.ts';

/** A refusal with the code the BFF maps to a form field (contracts' apiTokenRefusalField). */
export class ApiTokenRefusal extends Error {
  constructor(
    readonly code:
      | 'token_refused'
      | 'wrong_email'
      | 'missing_scope'
      | 'app_password'
      | 'token_malformed'
      | 'token_expired'
      | 'envelope_refused'
      | 'no_integration'
      | 'provider_unreachable',
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;

/**
 * Connect with a Bitbucket API token the developer pasted. Each check is one named step:
 * the integration takes tokens; the envelope is for this runner, host and user; the input is
 * a token (not an old app password); it is not past its expiry; Bitbucket accepts it for the
 * e-mail (`GET /2.0/user` with Basic `email:token`); its scopes are enough. Only then is it
 * stored (encrypted, like OAuth tokens). A refused token is neither stored nor logged.
 */
export function createApiTokenConnector(deps: {
  config: RunnerConfig;
  registry: IntegrationRegistry;
  keyring: RunnerKeyring;
  store: TokenStore;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
}) {
  const httpFetch = deps.fetch ?? fetch;
  const now = deps.now ?? Date.now;
  const provider = getScmProvider('bitbucket');

  async function openToken(envelope: string, host: string, userId: string): Promise<string> {
    const runnerId = deps.registry.runnerId;
    if (!runnerId) throw new ApiTokenRefusal('envelope_refused', 'The runner is not registered yet. Try again in a moment.');
    try {
      const sealedTo = deps.keyring.find(inspectEnvelope(envelope).kid) ?? deps.keyring.current;
      return await openClientSecret({ envelope, privateKey: sealedTo.privateKey, expected: { runnerId, kid: sealedTo.kid, host, userId } });
    } catch (err) {
      if (err instanceof EnvelopeError) {
        const message =
          err.code === 'wrong_user'
            ? 'This token was encrypted for another user. Enter your own token.'
            : err.code === 'wrong_runner'
              ? 'This token was encrypted for another runner. Reload the page and enter it again.'
              : err.code === 'wrong_host'
                ? 'This token was encrypted for another host. Reload the page and enter it again.'
                : 'The runner could not open the encrypted token. Reload the page and enter it again.';
        throw new ApiTokenRefusal('envelope_refused', message);
      }
      throw err;
    }
  }

  function readExpiry(expiresOn: string): string {
    const end = Date.parse(`${expiresOn}T23:59:59.999Z`);
    if (Number.isNaN(end)) throw new ApiTokenRefusal('token_expired', 'Enter the expiry date you chose when you created the token.');
    if (end <= now()) throw new ApiTokenRefusal('token_expired', `That date has passed, so the token no longer works. Create a new ${provider.name} API token.`);
    const maxDays = provider.apiTokens?.maxLifetimeDays ?? 365;
    if (end > now() + (maxDays + 1) * DAY_MS) {
      throw new ApiTokenRefusal('token_expired', `${provider.name} API tokens last at most ${maxDays} days. Enter the expiry date shown for the token.`);
    }
    return new Date(end).toISOString();
  }

  async function get(url: string, authorization: string): Promise<Response> {
    try {
      return await httpFetch(url, { headers: { authorization, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    } catch {
      throw new ApiTokenRefusal('provider_unreachable', `${provider.name} could not be reached from the runner. Try again in a moment.`);
    }
  }

  /**
   * After a 401 for `email:token`: is the token itself good? Git over HTTPS takes it with
   * `x-bitbucket-api-token-auth`, no e-mail needed. A repository that does not exist answers 401
   * for a bad token and 403/404 for a good one (inferred from Bitbucket's behaviour: credentials
   * are checked before the repository is looked up). Nothing is read or written.
   */
  async function tokenWorksWithoutEmail(siteUrl: string, token: string): Promise<boolean> {
    const git = gitCredentialsFor({ kind: 'api_token', accessToken: token });
    const probe = `${siteUrl}/${git.username}/runner-console-token-check.git/info/refs?service=git-upload-pack`;
    const res = await get(probe, basicAuthorization(git.username, git.password));
    await res.body?.cancel();
    return res.status === 403 || res.status === 404;
  }

  /**
   * Without a scopes header: one harmless read per read scope, each answered 403 when the token lacks
   * it (https://developer.atlassian.com/cloud/bitbucket/rest/api-group-repositories/ and
   * …/api-group-pullrequests/ list the scope of each endpoint). write:repository:bitbucket cannot be
   * proved without writing, so it is assumed here; a push without it fails with Bitbucket's message.
   */
  async function probeReadScopes(apiUrl: string, authorization: string, userUuid: string | undefined): Promise<string[]> {
    const granted = ['read:user:bitbucket', 'write:repository:bitbucket'];
    const probes: [string, string][] = [['read:repository:bitbucket', `${apiUrl}/2.0/repositories?role=member&pagelen=1`]];
    if (userUuid) probes.push(['read:pullrequest:bitbucket', `${apiUrl}/2.0/pullrequests/${encodeURIComponent(userUuid)}?pagelen=1`]);
    for (const [scope, url] of probes) {
      const res = await get(url, authorization);
      await res.body?.cancel();
      if (res.status !== 403) granted.push(scope);
    }
    return granted;
  }

  return async function connectApiToken(params: unknown): Promise<ConnectApiTokenResult> {
    const p = ConnectApiTokenParams.parse(params);
    const integration = deps.registry.findByHost(p.host);
    if (!integration || !integration.patEnabled) {
      throw new ApiTokenRefusal('no_integration', `This runner does not take API tokens for ${p.host}. Ask an admin of your organization to turn on personal access tokens.`);
    }
    const plaintext = await openToken(p.tokenEnvelope, integration.host, p.userId);
    const input = readApiTokenInput(integration.provider, { email: p.email, token: plaintext });
    if (!input.ok) throw new ApiTokenRefusal(input.code === 'email_invalid' ? 'wrong_email' : input.code === 'app_password' ? 'app_password' : 'token_malformed', input.message);
    const expiresAt = readExpiry(p.expiresOn);
    const endpoints = endpointsForHost(deps.config, integration.host);
    const authorization = basicAuthorization(input.email, input.token);

    const userRes = await get(`${endpoints.apiUrl}/2.0/user`, authorization);
    if (userRes.status === 401) {
      await userRes.body?.cancel();
      if (await tokenWorksWithoutEmail(endpoints.siteUrl, input.token)) {
        throw new ApiTokenRefusal('wrong_email', `${provider.name} accepts this API token, but not with ${input.email}. Enter the e-mail address of the Atlassian account that created the token.`);
      }
      throw new ApiTokenRefusal('token_refused', `${provider.name} did not accept this API token: it is wrong, expired or revoked. Create a new token and paste it here.`);
    }
    if (userRes.status === 403) {
      const body = (await userRes.json().catch(() => ({}))) as { error?: { detail?: { granted?: unknown } } };
      const granted = Array.isArray(body.error?.detail?.granted) ? body.error.detail.granted.map(String) : [];
      throw new ApiTokenRefusal('missing_scope', describeMissingApiTokenScopes(integration.provider, findMissingApiTokenScopes(integration.provider, granted)));
    }
    if (!userRes.ok) {
      await userRes.body?.cancel();
      throw new ApiTokenRefusal('provider_unreachable', `${provider.name} answered with an error (HTTP ${userRes.status}). Try again in a moment.`);
    }
    const user = (await userRes.json()) as { uuid?: string; display_name?: string; nickname?: string; username?: string };
    // The token's scopes: from X-OAuth-Scopes when Bitbucket sends it (as for OAuth tokens; the
    // emulator does), otherwise by asking an endpoint per read scope (see probeReadScopes).
    const header = userRes.headers.get('x-oauth-scopes');
    const scopes = header !== null ? header.split(/[\s,]+/).filter(Boolean) : await probeReadScopes(endpoints.apiUrl, authorization, user.uuid);
    const missing = findMissingApiTokenScopes(integration.provider, scopes);
    if (missing.length > 0) throw new ApiTokenRefusal('missing_scope', describeMissingApiTokenScopes(integration.provider, missing));
    // The git author's e-mail: the primary confirmed address, else the one the token was entered with.
    const emailsRes = await get(`${endpoints.apiUrl}/2.0/user/emails`, authorization).catch(() => undefined);
    const emails = emailsRes?.ok ? ((await emailsRes.json().catch(() => ({}))) as { values?: { email: string; is_primary: boolean; is_confirmed: boolean }[] }) : {};
    const authorEmail = emails.values?.find((e) => e.is_primary && e.is_confirmed)?.email ?? input.email;

    const saved = deps.store.save({
      kind: 'api_token',
      loginEmail: input.email,
      userId: p.userId,
      host: integration.host,
      integrationId: integration.id,
      clientId: '',
      accountName: user.display_name ?? user.nickname ?? input.email,
      accountUsername: user.nickname ?? user.username ?? null,
      accountUuid: user.uuid ?? null,
      email: authorEmail,
      scopes,
      accessToken: input.token,
      refreshToken: null,
      expiresAt,
    });
    deps.log.info({ userId: p.userId, integrationId: integration.id }, 'connected with an API token');
    return { accountName: saved.accountName, accountUsername: saved.accountUsername, email: saved.email, scopes: saved.scopes, expiresAt: saved.expiresAt };
  };
}
export type ApiTokenConnector = ReturnType<typeof createApiTokenConnector>;

/** Where this runner's provider creates API tokens: Atlassian's page, or the configured site's own (the emulator). */
export function apiTokenCreateUrl(config: RunnerConfig): string | null {
  const apiTokens = getScmProvider('bitbucket').apiTokens;
  if (!apiTokens) return null;
  return new URL(config.bitbucketUrl).hostname === 'bitbucket.org' ? apiTokens.createUrl : `${config.bitbucketUrl}/account/settings/api-tokens/`;
}

/** Why a stored connection must be made again: its recorded reason, or an API token past its expiry date. */
export function reauthorizeReasonOf(token: { kind: string; expiresAt: string | null; needsReauthorization: boolean; reauthorizeReason: string | null }, now = Date.now()): string | null {
  if (token.needsReauthorization) return token.reauthorizeReason ?? 'Connect again.';
  if (token.kind === 'api_token' && token.expiresAt !== null && Date.parse(token.expiresAt) <= now) {
    return `Your Bitbucket API token expired on ${token.expiresAt.slice(0, 10)}. Create a new one and enter it with “Use an API token instead”.`;
  }
  return null;
}
