import { createHash, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '@runner-console/envelope/constant-time-equal';
import * as oauth from 'oauth4webapi';
import { RedeemFlowResult, type ConnectFailureCode } from '@runner-console/contracts';
import { findMissingScopes, describeMissingScopes } from '@runner-console/scm-providers';
import type { RunnerConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { BffLink } from '../link/bff-link.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import type { TokenStore } from '../tokens/token-store.ts';
import { ProviderApiError, type OAuthRefusal } from '../providers/provider-adapter.ts';
import { authorizationServerOf, endpointsFor } from '../providers/provider-endpoints.ts';
import { adapterFor } from '../providers/provider-registry.ts';
import type { ScmProviderId } from '@runner-console/scm-providers';

/** A flow this runner redeemed and is waiting to see come back from the provider. */
interface PendingFlow {
  flowId: string;
  userId: string;
  host: string;
  provider: ScmProviderId;
  /** PKCE (RFC 7636) verifier, for providers whose adapter sends a S256 challenge. */
  codeVerifier: string | null;
  integrationId: string;
  nonceHash: string;
  expiresAt: number;
  dashboardOrigin: string;
  returnUrl: string;
  finishUrl: string;
  mode: 'popup' | 'tab';
}

/**
 * A token exchanged at the callback and not stored yet. It is stored only when the BFF has checked
 * that the browser the callback reached is signed in as the flow's user (commitConnect); otherwise
 * it is discarded, and it is forgotten after `confirmWindowMs` whatever happens.
 */
interface AwaitingConfirmation {
  flowId: string;
  userId: string;
  confirmHash: string;
  expiresAt: number;
  token: Parameters<TokenStore['save']>[0];
}

/** How long an exchanged token waits for the dashboard to confirm its user. */
export const confirmWindowMs = 2 * 60 * 1000;

export interface FlowOutcome {
  flowId: string | null;
  status: 'connected' | 'failed';
  failureCode: ConnectFailureCode | null;
  message: string;
  accountName: string | null;
  dashboardOrigin: string | null;
  returnUrl: string | null;
  mode: 'popup' | 'tab';
  /** Set when the token waits for the dashboard: the browser goes there next (302). */
  confirmUrl?: string;
}

export class ConnectError extends Error {
  constructor(
    readonly failureCode: ConnectFailureCode,
    message: string,
  ) {
    super(message);
  }
}

export const nonceCookiePrefix = 'rc_oauth_nonce_';
const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');

/** state = "<flowId>.<sha256(nonce)>": it names the flow and commits to the browser's nonce cookie. */
export function parseState(state: string | null): { flowId: string; nonceHash: string } | undefined {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(state ?? '');
  return m ? { flowId: m[1]!, nonceHash: m[2]! } : undefined;
}

/**
 * The runner's half of Connect. /oauth/start redeems the BFF's single-use flow over the link, binds
 * this browser with an HttpOnly nonce cookie and sends it to the provider; /oauth/callback checks state,
 * nonce, expiry, single use and host, exchanges the code with oauth4webapi, checks scopes, reads the
 * account and stores the token. Every refusal names its check.
 */
/**
 * Ask the BFF, waiting out a dropped link: with several BFF instances, the one holding this
 * runner's link may die in the middle of a Connect, and the runner is linked to another within a
 * few seconds. `retryOnTimeout` only for requests the BFF refuses to apply twice (completeFlow).
 */
async function requestThroughOutage<T>(link: BffLink, method: string, params: unknown, opts: { waitMs: number; retryOnTimeout: boolean }): Promise<T> {
  const deadline = Date.now() + opts.waitMs;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1_000)) {
    try {
      return await link.request<T>(method, params, 5_000);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const retry = code === 'bff_unreachable' || (opts.retryOnTimeout && code === 'bff_timeout');
      if (!retry || Date.now() + delay > deadline) throw err;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export function createConnectFlows(deps: {
  config: RunnerConfig;
  log: Logger;
  link: BffLink;
  registry: IntegrationRegistry;
  tokens: TokenStore;
  callbackUrl: string;
  /** How long the callback's page waits for the BFF to take the result (default 2 s). */
  reportWaitMs?: number;
  /** How long an exchanged token waits for the dashboard to confirm its user (default 2 minutes). */
  confirmWindowMs?: number;
}) {
  const pending = new Map<string, PendingFlow>();
  const awaiting = new Map<string, AwaitingConfirmation>();
  const secureCookies = deps.callbackUrl.startsWith('https://');
  const windowMs = deps.confirmWindowMs ?? confirmWindowMs;

  setInterval(() => {
    for (const [id, flow] of pending) if (flow.expiresAt < Date.now()) pending.delete(id);
    for (const [id, held] of awaiting) {
      if (held.expiresAt >= Date.now()) continue;
      awaiting.delete(id);
      deps.log.warn({ flowId: id, userId: held.userId, account: held.token.accountUsername }, 'Connect: discarded a token nobody confirmed in time');
    }
  }, Math.min(60_000, windowMs)).unref();

  async function start(flowId: string, redeemSecret: string): Promise<{ redirectTo: string; cookie: { name: string; value: string; secure: boolean; maxAgeMs: number } }> {
    let redeemed: RedeemFlowResult;
    try {
      redeemed = RedeemFlowResult.parse(await requestThroughOutage(deps.link, 'redeemFlow', { flowId, redeemSecret }, { waitMs: 8_000, retryOnTimeout: false }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'flow_expired') throw new ConnectError('flow_expired', (err as Error).message);
      if (code === 'bff_unreachable' || code === 'bff_timeout') throw new ConnectError('runner_offline', 'The runner cannot reach Runner Console right now. Try again in a moment.');
      throw new ConnectError('flow_invalid', (err as Error).message || 'This sign-in link is not valid. Click Connect again.');
    }
    const integration = deps.registry.findByHost(redeemed.host);
    if (!integration || !integration.oauthEnabled || !integration.clientId) {
      throw new ConnectError('no_integration', `This runner has no OAuth integration for ${redeemed.host}. Ask an admin of your organization.`);
    }
    const adapter = adapterFor(integration.provider);
    const endpoints = endpointsFor(deps.config, integration);
    let authorizationServer: oauth.AuthorizationServer;
    try {
      authorizationServer = await authorizationServerOf(endpoints);
    } catch (err) {
      throw new ConnectError('provider_error', `${(err as Error).message} Ask an admin to check the ${adapter.name} integration.`);
    }
    const nonce = randomBytes(32).toString('base64url');
    const codeVerifier = adapter.pkce ? oauth.generateRandomCodeVerifier() : null;
    const flow: PendingFlow = {
      flowId: redeemed.flowId,
      userId: redeemed.userId,
      host: redeemed.host,
      provider: integration.provider,
      codeVerifier,
      integrationId: integration.id,
      nonceHash: sha256(nonce),
      expiresAt: Date.parse(redeemed.expiresAt),
      dashboardOrigin: redeemed.dashboardOrigin,
      returnUrl: redeemed.returnUrl,
      finishUrl: redeemed.finishUrl,
      mode: redeemed.mode,
    };
    pending.set(flow.flowId, flow);
    const authorize = new URL(authorizationServer.authorization_endpoint!);
    authorize.searchParams.set('client_id', integration.clientId);
    authorize.searchParams.set('response_type', 'code');
    authorize.searchParams.set('state', `${flow.flowId}.${flow.nonceHash}`);
    authorize.searchParams.set('redirect_uri', deps.callbackUrl);
    for (const [key, value] of Object.entries(adapter.authorizeParameters())) authorize.searchParams.set(key, value);
    if (codeVerifier) {
      authorize.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      authorize.searchParams.set('code_challenge_method', 'S256');
    }
    return {
      redirectTo: authorize.toString(),
      cookie: { name: nonceCookiePrefix + flow.flowId.slice(0, 8), value: nonce, secure: secureCookies, maxAgeMs: flow.expiresAt - Date.now() },
    };
  }

  /**
   * Run every check of the callback, then exchange and read the account. Throws ConnectError naming
   * the failed check. The token is not stored here: see AwaitingConfirmation.
   */
  async function complete(callback: URL, cookies: Record<string, string | undefined>, flow: PendingFlow): Promise<AwaitingConfirmation['token']> {
    const nonce = cookies[nonceCookiePrefix + flow.flowId.slice(0, 8)];
    if (!nonce || !constantTimeEqual(sha256(nonce), flow.nonceHash)) {
      throw new ConnectError('browser_mismatch', 'This sign-in was started in another browser. Start Connect again from your own dashboard.');
    }
    if (flow.expiresAt < Date.now()) throw new ConnectError('flow_expired', 'This sign-in took longer than 10 minutes and expired. Click Connect again.');
    const adapter = adapterFor(flow.provider);
    const error = callback.searchParams.get('error');
    const authorizeRefusal = error ? adapter.describeOAuthRefusal({ status: 0, error, description: callback.searchParams.get('error_description') }, 'authorize') : null;
    if (error === 'access_denied' && authorizeRefusal) throw new ConnectError('access_denied', authorizeRefusal.message);
    const integration = deps.registry.get(flow.integrationId);
    if (!integration || !integration.oauthEnabled || !integration.clientId) {
      throw new ConnectError('no_integration', `The ${adapter.name} integration was removed or changed while you signed in. Ask an admin, then Connect again.`);
    }
    if (integration.host !== flow.host || integration.provider !== flow.provider) throw new ConnectError('flow_invalid', 'This sign-in was for another host. Click Connect again.');
    if (authorizeRefusal) throw new ConnectError(authorizeRefusal.failureCode === 'invalid_client' ? 'invalid_client' : 'provider_error', authorizeRefusal.message);

    const endpoints = endpointsFor(deps.config, integration);
    let authorizationServer: oauth.AuthorizationServer;
    try {
      authorizationServer = await authorizationServerOf(endpoints);
    } catch (err) {
      throw new ConnectError('provider_error', `${(err as Error).message} Ask an admin to check the ${adapter.name} integration.`);
    }
    const client: oauth.Client = { client_id: integration.clientId };
    const expectedState = `${flow.flowId}.${flow.nonceHash}`;
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(authorizationServer, client, callback, expectedState);
    } catch {
      throw new ConnectError('flow_invalid', `${adapter.name} sent back an answer that does not match this sign-in. Click Connect again.`);
    }
    let secret: string;
    try {
      secret = await deps.registry.openSecret(integration);
    } catch (err) {
      throw new ConnectError('invalid_client', `${(err as Error).message} Ask an admin to check the ${adapter.name} integration.`);
    }
    let tokens: oauth.TokenEndpointResponse;
    let tokenHeaders: Headers;
    try {
      const response = await oauth.authorizationCodeGrantRequest(authorizationServer, client, adapter.clientAuthentication(secret), params, deps.callbackUrl, flow.codeVerifier ?? oauth.nopkce, {
        ...endpoints.requestOptions,
        signal: AbortSignal.timeout(15_000),
      });
      tokenHeaders = response.headers;
      // Some providers answer an error with HTTP 200 (GitHub): the adapter reads the body first.
      const refusal = await adapter.readOAuthRefusal(response.clone());
      if (refusal) throw refusal;
      tokens = await oauth.processAuthorizationCodeResponse(authorizationServer, client, response);
    } catch (err) {
      const refusal = isRefusal(err) ? err : await adapter.readOAuthRefusal(err);
      if (refusal) {
        const meaning = adapter.describeOAuthRefusal(refusal, 'exchange');
        throw new ConnectError(meaning.failureCode === 'invalid_client' ? 'invalid_client' : 'provider_error', meaning.message);
      }
      throw new ConnectError('provider_error', `${adapter.name} could not be reached to finish signing in. Try again in a moment.`);
    }
    const scopes = adapter.grantedScopes(tokens, tokenHeaders);
    const missing = findMissingScopes(integration.provider, scopes);
    if (missing.length) throw new ConnectError('missing_scope', `${describeMissingScopes(integration.provider, missing)} Ask an admin to fix the OAuth consumer on ${adapter.name}, then Connect again.`);

    let account;
    try {
      account = await adapter.whoAmI({ endpoints, authorization: adapter.restAuthorization({ kind: 'oauth', accessToken: tokens.access_token, loginEmail: null }), fetch });
    } catch (err) {
      throw new ConnectError('provider_error', err instanceof ProviderApiError ? err.message : `${adapter.name} could not be reached to read your account.`);
    }
    const accountName = account.name;
    const email = account.email;
    const user = { nickname: account.username, uuid: account.id };
    return {
      userId: flow.userId,
      host: integration.host,
      integrationId: integration.id,
      clientId: integration.clientId,
      accountName,
      accountUsername: user.nickname ?? null,
      accountUuid: user.uuid ?? null,
      email,
      scopes,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: tokens.expires_in ? new Date(Date.now() + tokens.expires_in * 1000).toISOString() : null,
    };
  }

  async function callback(callbackUrl: URL, cookies: Record<string, string | undefined>): Promise<FlowOutcome> {
    const state = parseState(callbackUrl.searchParams.get('state'));
    const flow = state ? pending.get(state.flowId) : undefined;
    if (!state || !flow || !constantTimeEqual(state.nonceHash, flow.nonceHash)) {
      return {
        flowId: null,
        status: 'failed',
        failureCode: 'flow_invalid',
        message: 'This sign-in link was already used or is not known to this runner. Close this window and click Connect again.',
        accountName: null,
        dashboardOrigin: null,
        returnUrl: null,
        mode: 'popup',
      };
    }
    // Single use: whatever happens next, this flow cannot be completed twice.
    pending.delete(flow.flowId);
    let outcome: FlowOutcome;
    try {
      const token = await complete(callbackUrl, cookies, flow);
      // Held, not stored: the browser goes on to the dashboard, which stores it through
      // commitConnect only when that browser is signed in as the flow's user. The nonce proved
      // that start and callback happened in one browser, not whose browser it is.
      const confirmSecret = randomBytes(32).toString('base64url');
      awaiting.set(flow.flowId, { flowId: flow.flowId, userId: flow.userId, confirmHash: sha256(confirmSecret), expiresAt: Date.now() + windowMs, token });
      const confirmUrl = new URL(flow.finishUrl);
      confirmUrl.searchParams.set('flow', flow.flowId);
      confirmUrl.searchParams.set('confirm', confirmSecret);
      deps.log.info({ flowId: flow.flowId, userId: flow.userId, account: token.accountUsername }, 'Connect: token exchanged, waiting for the dashboard to confirm the user');
      return { flowId: flow.flowId, status: 'connected', failureCode: null, message: '', accountName: token.accountName, dashboardOrigin: flow.dashboardOrigin, returnUrl: flow.returnUrl, mode: flow.mode, confirmUrl: confirmUrl.toString() };
    } catch (err) {
      const e = err instanceof ConnectError ? err : new ConnectError('provider_error', 'Something went wrong while finishing the sign-in. Click Connect again.');
      if (!(err instanceof ConnectError)) deps.log.error({ err }, 'connect callback failed');
      outcome = { flowId: flow.flowId, status: 'failed', failureCode: e.failureCode, message: e.message, accountName: null, dashboardOrigin: flow.dashboardOrigin, returnUrl: flow.returnUrl, mode: flow.mode };
    }
    // A refusal: tell the BFF (which pushes it to the dashboard at once); the page also posts it to its opener.
    // Retried through a BFF outage (the BFF applies a result once and refuses a second one).
    const reported = requestThroughOutage(
      deps.link,
      'completeFlow',
      { flowId: outcome.flowId, status: outcome.status, failureCode: outcome.failureCode, message: outcome.message, accountName: outcome.accountName },
      { waitMs: 60_000, retryOnTimeout: true },
    ).then(
      () => true,
      (err) => {
        deps.log.warn({ err: (err as Error).message, flowId: outcome.flowId }, 'could not report the Connect result to the BFF');
        return false;
      },
    );
    // The result page waits for the BFF's answer (it has pushed the result to the dashboard by
    // then), at most reportWaitMs. So the dashboard hears first, and the browser's work on the
    // result page (often a new renderer process) does not compete with the event on its way.
    // Past the wait, the page is shown anyway and the report goes on in the background.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([reported, new Promise((r) => (timer = setTimeout(r, deps.reportWaitMs ?? 2_000)))]);
    clearTimeout(timer);
    return outcome;
  }

  /**
   * BFF → runner, after it checked that the browser the callback reached is signed in as the flow's
   * user: store the held token. Works once, for that user, with the secret that only that browser
   * got, within the confirmation window.
   */
  function commit(flowId: string, userId: string, confirmSecret: string): { accountName: string } {
    const held = awaiting.get(flowId);
    if (!held || held.expiresAt < Date.now()) {
      awaiting.delete(flowId);
      throw new ConnectError('flow_expired', 'This sign-in was not finished in time, so nothing was connected. Click Connect again.');
    }
    if (held.userId !== userId || !constantTimeEqual(sha256(confirmSecret), held.confirmHash)) {
      throw new ConnectError('flow_invalid', 'This sign-in does not belong to you. Click Connect again.');
    }
    awaiting.delete(flowId);
    deps.tokens.save(held.token);
    deps.log.info({ flowId, userId, account: held.token.accountUsername }, 'Connect: the dashboard confirmed the user; token stored');
    return { accountName: held.token.accountName };
  }

  /** BFF → runner: the callback reached someone else's browser. The token is forgotten, never stored. */
  function discard(flowId: string, reason: string): { discarded: boolean; accountName: string | null } {
    const held = awaiting.get(flowId);
    awaiting.delete(flowId);
    if (held) deps.log.warn({ flowId, userId: held.userId, account: held.token.accountUsername, reason }, 'Connect: token discarded, not stored');
    return { discarded: Boolean(held), accountName: held?.token.accountName ?? null };
  }

  return { start, callback, commit, discard, pendingCount: () => pending.size, awaitingCount: () => awaiting.size };
}
export type ConnectFlows = ReturnType<typeof createConnectFlows>;

function isRefusal(value: unknown): value is OAuthRefusal {
  return typeof value === 'object' && value !== null && typeof (value as OAuthRefusal).error === 'string' && typeof (value as OAuthRefusal).status === 'number' && !(value instanceof Error);
}
