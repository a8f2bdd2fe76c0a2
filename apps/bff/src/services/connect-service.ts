import { randomUUID } from 'node:crypto';
import { constantTimeEqual } from '@runner-console/envelope/constant-time-equal';
import {
  apiRoutes,
  ApiTokenRefusalCode,
  CheckAuthenticationResult,
  ConnectApiTokenResult,
  apiTokenRefusalField,
  type ConnectApiTokenRequest,
  type ConnectApiTokenResponse,
  type RunnerPublicJwk,
  CommitConnectResult,
  CompleteFlowParams,
  DiscardConnectResult,
  FinishConnectQuery,
  ListTokensResult,
  resolveDashboardPath,
  RedeemFlowParams,
  type CheckAuthenticationResponse,
  type ConnectFlow,
  type RedeemFlowResult,
  type SessionUser,
} from '@runner-console/contracts';
import { EnvelopeError, checkEnvelopeBinding } from '@runner-console/envelope';
import { appAuthorizationsUrlFor, findProviderModule, findScmProviderByHost, getScmProvider, scmProviders, type ScmProviderId } from '@runner-console/scm-providers';
import type { z } from 'zod';
import type { StartConnectQuery } from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { ScmIntegrationsStore } from '../store/scm-integrations-store.ts';
import type { OAuthFlowsTable, RunnersTable } from '../store/schema.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { ClusterBus } from '../store/cluster-bus.ts';
import type { Metrics } from '../operations/metrics.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import { LinkRequestError } from '../runner-link/runner-connection.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import type { RunnerService } from './runner-service.ts';
import { mapLinkError, runnerOffline } from './runner-service.ts';
import { createSecretToken, hashSecretToken } from './secret-tokens.ts';
import { changedCallbackUrlOf } from './scm-integration-service.ts';

function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export const flowLifetimeMs = 10 * 60 * 1000;

export function toConnectFlow(row: OAuthFlowsTable): ConnectFlow {
  return {
    id: row.id,
    runnerId: row.runner_id,
    host: row.host,
    status: row.status,
    failureCode: (row.failure_code as ConnectFlow['failureCode']) ?? null,
    message: row.message,
    accountName: row.account_name,
    expiresAt: row.expires_at,
  };
}

const equalSecrets = constantTimeEqual;

/** How long an org's list of admins is reused by check-authentication. */
export const adminContactsCacheMs = 5_000;
/** Cluster topic: an org's admins changed (body: its id), so every instance drops its list. */
export const adminContactsTopic = 'cache.admin-contacts';

export function createConnectService(deps: {
  db: Db;
  runners: RunnerService;
  integrations: Pick<ScmIntegrationsStore, 'hasOAuthIntegration' | 'findCallbackUrl' | 'connectMethods'>;
  hub: EventHub;
  link: () => RunnerLinkServer;
  publicUrl: string;
  /** Disconnects go in the runner's audit log, so admins see why a connection is gone. */
  audit?: AuditStore;
  bus?: ClusterBus;
  /** Counts flows started and finished, and the time to a result (Prometheus). */
  metrics?: Pick<Metrics, 'flowStarted' | 'flowFinished'>;
}) {
  const { db, runners } = deps;
  /** Every flow's result goes out here: to the user's dashboard, and into the metrics. */
  const hub = {
    publish(orgId: string, event: { type: 'connect.result'; flow: ConnectFlow }, userId: string) {
      const { status, failureCode, expiresAt } = event.flow;
      deps.metrics?.flowFinished({ status, failureCode, startedAt: Date.parse(expiresAt) - flowLifetimeMs });
      deps.hub.publish(orgId, event, userId);
    },
  };
  /**
   * Flows this instance redeemed, as their rows read back then. The runner reports the result
   * over the same link, so usually to this instance: the result then goes to the dashboard at once
   * and the row is updated beside it, one database round trip fewer on the way to the user's
   * screen. A result arriving elsewhere (the link moved) takes the database path.
   */
  const redeemedHere = new Map<string, OAuthFlowsTable>();
  const redeemedHereMax = 10_000;
  /** Results of flows in redeemedHere being written now: a second report waits for nothing, it is refused. */
  const completingHere = new Set<string>();

  // Who to ask when a host has no integration: part of every check-authentication answer, which an
  // environment page polls. Kept per org for a few seconds; a change of admins shows within that.
  // Whoever changes an org's admins publishes adminContactsTopic; every instance's list goes at once.
  const adminContactsCache = new Map<string, { at: number; emails: string[] }>();
  deps.bus?.subscribe(adminContactsTopic, (orgId) => void adminContactsCache.delete(orgId as string));
  deps.bus?.onResync(() => adminContactsCache.clear());
  async function adminContacts(orgId: string): Promise<string[]> {
    const cached = adminContactsCache.get(orgId);
    if (cached && Date.now() - cached.at < adminContactsCacheMs) return cached.emails;
    const rows = await db.selectFrom('users').select('email').where('org_id', '=', orgId).where('role', '=', 'admin').orderBy('email').execute();
    const emails = rows.map((r) => r.email);
    if (adminContactsCache.size >= 10_000) adminContactsCache.clear();
    adminContactsCache.set(orgId, { at: Date.now(), emails });
    return emails;
  }

  async function failFlow(row: OAuthFlowsTable, failureCode: string, message: string): Promise<OAuthFlowsTable> {
    const now = new Date().toISOString();
    await db.updateTable('oauth_flows').set({ status: 'failed', failure_code: failureCode, message, completed_at: now }).where('id', '=', row.id).execute();
    const updated = { ...row, status: 'failed' as const, failure_code: failureCode, message, completed_at: now };
    hub.publish(row.org_id, { type: 'connect.result', flow: toConnectFlow(updated) }, row.user_id);
    return updated;
  }

  /**
   * What to tell a developer when the runner's callback URL is no longer the one registered in the
   * OAuth consumer: sending them on would end on the provider's "Invalid redirect_uri" page.
   */
  async function callbackChanged(runner: RunnersTable, host: string): Promise<string | null> {
    const integration = await deps.integrations.findCallbackUrl(runner.id, host);
    if (!integration || !changedCallbackUrlOf(integration, runner)) return null;
    const who = (await adminContacts(runner.org_id)).join(', ');
    const provider = findScmProviderByHost(host)?.name ?? 'the provider';
    return `Connect is paused: this runner's address changed, so ${provider} would refuse the sign-in. Ask an admin of your organization${who ? ` (${who})` : ''} to update the OAuth consumer's callback URL on the runner's page.`;
  }

  /** Where a user revokes authorized apps: the page of the provider of their first connection, else of the first supported provider. */
  function appAuthorizationsUrlOf(authentications: readonly { host: string }[]): string {
    const first = authentications.map((a) => findScmProviderByHost(a.host)).find((p) => p?.docs.appAuthorizationsUrl);
    const fallback = scmProviders.find((p) => p.supported && p.docs.appAuthorizationsUrl);
    return first?.docs.appAuthorizationsUrl ?? fallback?.docs.appAuthorizationsUrl ?? '';
  }

  return {
    dashboardOrigin: new URL(deps.publicUrl).origin,

    async checkAuthentication(user: SessionUser, runnerId: string, host: string): Promise<CheckAuthenticationResponse> {
      // The runner's row comes from the runners store's read cache, as requireRunnerInOrg's did.
      const runner = await runners.requireRunner(user, runnerId);
      const methods = await deps.integrations.connectMethods(runnerId, host);
      // The integration's provider, else the provider whose cloud host this is (for the "ask an admin" answer).
      const provider = methods ? getScmProvider(methods.provider) : findScmProviderByHost(host);
      const base: CheckAuthenticationResponse = {
        host,
        runnerId,
        integrationAvailable: false,
        authenticated: false,
        scmId: provider?.id ?? null,
        scmName: provider?.name ?? null,
        accountName: null,
        reauthorizeReason: null,
        requiredScopes: provider?.oauth?.requiredScopes.map((s) => s.scope) ?? [],
        authorizeUrl: null,
        adminContacts: await adminContacts(user.orgId),
        supportsOauth2: null,
        supportsPat: null,
        method: null,
        expiresAt: null,
      };
      if (!methods || !provider || (!methods.oauth && !methods.pat)) return base;
      // Connect would end on the provider's error page when the callback URL changed: say so instead.
      const changed = methods.oauth ? await callbackChanged(runner, host) : null;
      const conn = deps.link().connectionOf(runnerId);
      if (!conn) throw runnerOffline();
      let result;
      try {
        result = CheckAuthenticationResult.parse(await conn.request('checkAuthentication', { userId: user.id, host }, 5_000));
      } catch (err) {
        throw mapLinkError(err);
      }
      // The BFF's row decides what is offered; the runner's answer may lag one configuration push.
      const oauth = methods.oauth && (result.oauthAvailable ?? result.integrationAvailable);
      const pat = methods.pat && (result.patAvailable ?? false) && Boolean(provider.apiTokens);
      const authorizeUrl = oauth && !changed ? `${deps.publicUrl}/api/connect/start?${new URLSearchParams({ runnerId, host })}` : null;
      return {
        ...base,
        integrationAvailable: oauth || pat,
        authenticated: result.authenticated,
        accountName: result.accountName,
        reauthorizeReason: result.reauthorizeReason,
        authorizeUrl,
        ...(oauth && changed ? { unavailableReason: changed } : {}),
        supportsOauth2: authorizeUrl ? { authUrl: authorizeUrl, docsUrl: provider.docs.oauthConsumerUrl } : null,
        supportsPat:
          pat && provider.apiTokens
            ? {
                createUrl: result.apiTokenCreateUrl ?? provider.apiTokens.createUrl,
                docsUrl: provider.apiTokens.docsUrl,
                requiredScopes: provider.apiTokens.requiredScopes.map((s) => s.scope),
                maxLifetimeDays: provider.apiTokens.maxLifetimeDays,
                publicKey: runner.public_key_jwk ? (JSON.parse(runner.public_key_jwk) as RunnerPublicJwk) : null,
                userId: user.id,
              }
            : null,
        method: result.method ?? (result.accountName ? 'oauth' : null),
        expiresAt: result.expiresAt ?? null,
      };
    },

    /**
     * POST /api/runners/:runnerId/api-tokens: the developer's API token, sealed in their browser to
     * the runner's key and bound to runner, host and user. The BFF checks the binding (it cannot
     * open the token) and forwards it; the runner opens it, checks it against the provider, and
     * stores it. Nothing of a refused token is kept here, and the envelope is never logged.
     */
    async connectApiToken(user: SessionUser, runnerId: string, body: ConnectApiTokenRequest): Promise<ConnectApiTokenResponse> {
      const runner = await runners.requireRunner(user, runnerId);
      const methods = await deps.integrations.connectMethods(runner.id, body.host);
      const provider = methods ? getScmProvider(methods.provider) : undefined;
      if (!methods?.pat || !provider?.apiTokens) {
        throw new HttpError(400, 'validation_failed', `This runner does not take API tokens for ${body.host}. Ask an admin of your organization to turn on personal access tokens, or use Connect.`);
      }
      // The fields this provider's token form has (the account e-mail and the expiry, or neither).
      const rules = findProviderModule(provider.id)?.tokenInput;
      if (rules?.needsEmail && !body.email) throw new HttpError(400, 'validation_failed', 'Enter the e-mail address of your account.', { email: 'Enter the e-mail address of your account.' });
      if (rules?.needsExpiry && !body.expiresOn) throw new HttpError(400, 'validation_failed', 'Enter the expiry date you chose when you created the token.', { expiresOn: 'Enter the expiry date you chose when you created the token.' });
      const key = runner.public_key_jwk ? (JSON.parse(runner.public_key_jwk) as RunnerPublicJwk) : null;
      if (!key) throw new HttpError(409, 'runner_no_key', 'This runner has not registered its key yet. Try again when it shows active.');
      try {
        checkEnvelopeBinding(body.tokenEnvelope, { runnerId: runner.id, kid: key.kid, host: body.host, userId: user.id });
      } catch (err) {
        if (!(err instanceof EnvelopeError)) throw err;
        const message =
          err.code === 'wrong_key'
            ? "The runner's key changed while the form was open. Reload the page and enter the token again."
            : 'The encrypted token was not made for you, this runner and this host. Reload the page and enter the token again.';
        throw new HttpError(400, 'validation_failed', message, { token: message });
      }
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) throw runnerOffline();
      let result;
      try {
        result = ConnectApiTokenResult.parse(
          await conn.request('connectApiToken', { userId: user.id, host: body.host, email: body.email ?? '', tokenEnvelope: body.tokenEnvelope, expiresOn: body.expiresOn ?? '' }, 30_000),
        );
      } catch (err) {
        if (err instanceof LinkRequestError) {
          const refusal = ApiTokenRefusalCode.safeParse(err.code);
          if (refusal.success) {
            throw new HttpError(400, 'validation_failed', err.message, { [apiTokenRefusalField[refusal.data]]: err.message });
          }
          if (err.code === 'provider_unreachable') throw new HttpError(502, 'provider_unreachable', err.message);
          if (err.code === 'no_integration') throw new HttpError(400, 'validation_failed', err.message);
        }
        throw mapLinkError(err);
      }
      const expiry = result.expiresAt ? `, expires ${formatDay(result.expiresAt)}` : '';
      return {
        host: body.host,
        method: 'api_token',
        ...result,
        message: `${provider.name} is now connected as ${result.accountName} (${provider.apiTokens.label}${expiry}).`,
      };
    },

    /** GET /api/connect/start: create the single-use, 10-minute flow bound to user, runner and host. */
    async startConnect(user: SessionUser, query: z.infer<typeof StartConnectQuery>, csrfCookie: string | undefined) {
      if (!csrfCookie || !equalSecrets(csrfCookie, query.csrf)) {
        throw new HttpError(403, 'csrf_failed', 'This Connect link did not come from your dashboard. Go back to the dashboard and click Connect again.');
      }
      const runner = await runners.requireRunner(user, query.runnerId);
      const redeemSecret = createSecretToken('rcf');
      const now = Date.now();
      const row: OAuthFlowsTable = {
        id: randomUUID(),
        org_id: user.orgId,
        user_id: user.id,
        runner_id: runner.id,
        host: query.host,
        redeem_secret_hash: hashSecretToken(redeemSecret),
        mode: query.mode,
        return_to: query.returnTo ?? '/environments/new',
        status: 'started',
        failure_code: null,
        message: null,
        account_name: null,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + flowLifetimeMs).toISOString(),
        redeemed_at: null,
        completed_at: null,
      };
      await db.insertInto('oauth_flows').values(row).execute();
      deps.metrics?.flowStarted();
      if (!(await deps.integrations.hasOAuthIntegration(runner.id, query.host))) {
        return { flow: await failFlow(row, 'no_integration', `This runner has no ${query.host} integration. Ask an admin of your organization to add one.`), redirectTo: null };
      }
      const changed = await callbackChanged(runner, query.host);
      if (changed) return { flow: await failFlow(row, 'callback_url_changed', changed), redirectTo: null };
      if (!deps.link().isConnected(runner.id) || !runner.public_url) {
        return { flow: await failFlow(row, 'runner_offline', 'The runner is offline, so it cannot connect your account. Try again when it is active.'), redirectTo: null };
      }
      const start = new URL('/oauth/start', runner.public_url);
      start.searchParams.set('flow', row.id);
      start.searchParams.set('redeem', redeemSecret);
      return { flow: row, redirectTo: start.toString() };
    },

    returnUrlOf(flow: OAuthFlowsTable): string {
      // Checked on the way in too; checked again here, where it becomes a Location header.
      const url = resolveDashboardPath(flow.return_to, deps.publicUrl) ?? new URL('/environments/new', deps.publicUrl);
      url.searchParams.set('connectFlow', flow.id);
      return url.toString();
    },

    /**
     * GET /api/connect/finish: the runner has exchanged the code and holds the token; this browser
     * brings the one-time confirm secret. The token is stored only when this browser is signed in
     * as the user who started the flow. Anyone else (another member, someone signed out: whoever a
     * start link was handed to) gets nothing stored, and the refusal is audited.
     */
    async finishConnect(user: SessionUser | undefined, rawQuery: unknown): Promise<{ flow: OAuthFlowsTable; httpStatus: number }> {
      const parsed = FinishConnectQuery.safeParse(rawQuery);
      if (!parsed.success) throw new HttpError(400, 'validation_failed', 'This Connect link is incomplete. Close this window and click Connect again.');
      const { flow: flowId, confirm } = parsed.data;
      const row = await db.selectFrom('oauth_flows').selectAll().where('id', '=', flowId).executeTakeFirst();
      if (!row || row.status !== 'redeemed') {
        throw new HttpError(404, 'not_found', 'This Connect attempt is unknown or already finished. Close this window and click Connect again.');
      }
      redeemedHere.delete(row.id);
      const conn = deps.link().connectionOf(row.runner_id);
      if (!user || user.id !== row.user_id) {
        // Forget the token on the runner first, then fail the flow (its owner's dashboard hears it).
        const discarded = conn
          ? await conn
              .request('discardConnect', { flowId: row.id }, 5_000)
              .then((r) => DiscardConnectResult.parse(r))
              .catch(() => null)
          : null;
        const owner = await db.selectFrom('users').select(['email']).where('id', '=', row.user_id).executeTakeFirst();
        const message = user
          ? `This Connect was started by another Runner Console user, so nothing was connected. You are signed in as ${user.email}: to connect your own account, click Connect in your dashboard.`
          : 'This Connect was started by someone else, or you are signed out of Runner Console in this browser, so nothing was connected. To connect your account, sign in to Runner Console and click Connect there.';
        const failed = await failFlow(row, 'wrong_user', 'Connect was finished in a browser that is not signed in to Runner Console as you, so nothing was connected. Click Connect again, and finish it in this browser.');
        await deps.audit?.record({
          orgId: row.org_id,
          runnerId: row.runner_id,
          actor: user ? { id: user.id, email: user.email } : null,
          action: 'git_authentication.refused',
          target: `${row.host} (${discarded?.accountName ?? 'unknown account'})`,
          details: {
            host: row.host,
            flowOwner: owner?.email ?? null,
            finishedBy: user?.email ?? 'a browser signed out of Runner Console',
            sameOrg: user ? user.orgId === row.org_id : null,
            tokenDiscarded: discarded?.discarded ?? null,
          },
        });
        return { flow: { ...failed, message }, httpStatus: 403 };
      }
      if (!conn) return { flow: await failFlow(row, 'runner_offline', 'The runner went offline before your account could be stored. Click Connect again when it is active.'), httpStatus: 502 };
      let accountName: string;
      try {
        ({ accountName } = CommitConnectResult.parse(await conn.request('commitConnect', { flowId: row.id, userId: user.id, confirmSecret: confirm }, 10_000)));
      } catch (err) {
        const code = err instanceof LinkRequestError && (err.code === 'flow_expired' || err.code === 'flow_invalid') ? err.code : 'runner_offline';
        const message =
          code === 'flow_expired'
            ? 'This sign-in was not finished within 2 minutes of coming back from the provider, so nothing was connected. Click Connect again.'
            : code === 'flow_invalid'
              ? 'This sign-in could not be matched to your Connect. Nothing was connected. Click Connect again.'
              : 'The runner could not be reached to store your connection. Click Connect again when it is active.';
        // Whatever went wrong, the runner must not keep the token waiting for another try.
        await conn.request('discardConnect', { flowId: row.id }, 5_000).catch(() => undefined);
        return { flow: await failFlow(row, code, message), httpStatus: code === 'runner_offline' ? 502 : 400 };
      }
      // The integration's provider names a self-managed host (Bitbucket Data Center at a company's host).
      const methods = await deps.integrations.connectMethods(row.runner_id, row.host).catch(() => null);
      const scmName = (methods ? getScmProvider(methods.provider) : findScmProviderByHost(row.host))?.name ?? row.host;
      const patch = { status: 'connected' as const, failure_code: null, message: `${scmName} is now connected as ${accountName}.`, account_name: accountName, completed_at: new Date().toISOString() };
      // Published before the row is written: the dashboard hears it at once (the token is stored).
      hub.publish(row.org_id, { type: 'connect.result', flow: toConnectFlow({ ...row, ...patch }) }, row.user_id);
      const updated = await db.updateTable('oauth_flows').set(patch).where('id', '=', row.id).where('status', '=', 'redeemed').returningAll().executeTakeFirst();
      await deps.audit?.record({
        orgId: row.org_id,
        runnerId: row.runner_id,
        actor: user,
        action: 'git_authentication.connected',
        target: `${scmName} (${accountName})`,
        details: { host: row.host, method: 'oauth' },
      });
      return { flow: updated ?? { ...row, ...patch }, httpStatus: 200 };
    },

    async getFlow(user: SessionUser, flowId: string): Promise<ConnectFlow> {
      const row = await db.selectFrom('oauth_flows').selectAll().where('id', '=', flowId).where('user_id', '=', user.id).executeTakeFirst();
      if (!row) throw notFound('This Connect attempt');
      return toConnectFlow(row);
    },

    /** Runner → BFF: exchange the one-time redeem secret for the flow's binding. Works once. */
    async redeemFlow(runner: RunnersTable, params: unknown): Promise<RedeemFlowResult> {
      const { flowId, redeemSecret } = RedeemFlowParams.parse(params);
      const row = await db.selectFrom('oauth_flows').selectAll().where('id', '=', flowId).executeTakeFirst();
      if (!row || row.runner_id !== runner.id || !equalSecrets(row.redeem_secret_hash, hashSecretToken(redeemSecret))) {
        throw new LinkRequestError('flow_invalid', 'This sign-in link is not valid. Close this window and click Connect again.');
      }
      if (Date.parse(row.expires_at) < Date.now()) {
        await failFlow(row, 'flow_expired', 'This sign-in link expired (links last 10 minutes). Click Connect again.');
        throw new LinkRequestError('flow_expired', 'This sign-in link expired (links last 10 minutes). Close this window and click Connect again.');
      }
      const redeemed = await db
        .updateTable('oauth_flows')
        .set({ status: 'redeemed', redeemed_at: new Date().toISOString() })
        .where('id', '=', flowId)
        .where('status', '=', 'started')
        .executeTakeFirst();
      if (Number(redeemed.numUpdatedRows) !== 1) {
        throw new LinkRequestError('flow_invalid', 'This sign-in link was already used. Close this window and click Connect again.');
      }
      if (redeemedHere.size >= redeemedHereMax) redeemedHere.delete(redeemedHere.keys().next().value!);
      redeemedHere.set(row.id, { ...row, status: 'redeemed' });
      return {
        flowId: row.id,
        userId: row.user_id,
        host: row.host,
        expiresAt: row.expires_at,
        mode: row.mode,
        dashboardOrigin: new URL(deps.publicUrl).origin,
        returnUrl: this.returnUrlOf(row),
        finishUrl: new URL(apiRoutes.finishConnect.path, deps.publicUrl).toString(),
      };
    },

    /** Runner → BFF: the result of the callback. Pushed at once to the user's dashboard. */
    async completeFlow(runner: RunnersTable, params: unknown): Promise<{ ok: true }> {
      const p = CompleteFlowParams.parse(params);
      const patch = { status: p.status, failure_code: p.failureCode, message: p.message, account_name: p.accountName, completed_at: new Date().toISOString() };
      const alreadyFinished = () => new LinkRequestError('flow_invalid', 'This flow is already finished.');
      // Applied once: the update's conditions are the checks (the runner's own flow, still
      // redeemed), here or on any instance; the row comes back with it.
      const applyOnce = () =>
        db
          .updateTable('oauth_flows')
          .set(patch)
          .where('id', '=', p.flowId)
          .where('runner_id', '=', runner.id)
          .where('status', '=', 'redeemed')
          .returningAll()
          .executeTakeFirst();
      if (completingHere.has(p.flowId)) throw alreadyFinished();
      const known = redeemedHere.get(p.flowId);
      if (known && known.runner_id === runner.id && Date.parse(known.expires_at) >= Date.now()) {
        // Redeemed here: published at once and written beside it, one database round trip fewer
        // on the way to the user's screen. A second report to this instance is refused while this
        // one is written (completingHere). The result is the runner's own (its token is stored
        // already), so the dashboard may see it before the row is written.
        redeemedHere.delete(p.flowId);
        completingHere.add(p.flowId);
        try {
          hub.publish(known.org_id, { type: 'connect.result', flow: toConnectFlow({ ...known, ...patch }) }, known.user_id);
          if (!(await applyOnce())) throw alreadyFinished();
          return { ok: true };
        } finally {
          completingHere.delete(p.flowId);
        }
      }
      const row = await applyOnce();
      if (!row) {
        const owner = await db.selectFrom('oauth_flows').select('runner_id').where('id', '=', p.flowId).executeTakeFirst();
        if (!owner || owner.runner_id !== runner.id) throw new LinkRequestError('flow_invalid', 'Unknown flow.');
        throw alreadyFinished();
      }
      hub.publish(row.org_id, { type: 'connect.result', flow: toConnectFlow(row) }, row.user_id);
      return { ok: true };
    },

    async listGitAuthentications(user: SessionUser) {
      // A runner that never connected holds no tokens: it is not asked, nor listed as unreachable.
      const rows = await db
        .selectFrom('runners')
        .select(['id', 'name'])
        .where('org_id', '=', user.orgId)
        .where('last_seen_at', 'is not', null)
        .orderBy('name')
        .execute();
      const authentications = [];
      const unreachableRunners = [];
      for (const runner of rows) {
        const conn = deps.link().connectionOf(runner.id);
        if (!conn) {
          unreachableRunners.push({ id: runner.id, name: runner.name });
          continue;
        }
        try {
          const { tokens } = ListTokensResult.parse(await conn.request('listTokens', { userId: user.id }, 5_000));
          authentications.push(...tokens.map((t) => ({ ...t, runnerId: runner.id, runnerName: runner.name })));
        } catch {
          unreachableRunners.push({ id: runner.id, name: runner.name });
        }
      }
      // Each connection names its integration's provider and where to remove the app's access: the
      // host alone does not tell a self-managed server's provider.
      const integrationIds = [...new Set(authentications.map((a) => a.integrationId))];
      const providers = new Map(
        integrationIds.length === 0
          ? []
          : (await db.selectFrom('scm_integrations').select(['id', 'provider']).where('id', 'in', integrationIds).execute()).map((row) => [row.id, row.provider as ScmProviderId] as const),
      );
      const named = authentications.map((authentication) => {
        const provider = providers.get(authentication.integrationId) ?? null;
        return { ...authentication, provider, appAuthorizationsUrl: provider ? appAuthorizationsUrlFor(provider, authentication.host) : null };
      });
      const endedByAdmin = await this.endedByAdmin(user, rows, named);
      return { authentications: named, unreachableRunners, endedByAdmin, appAuthorizationsUrl: appAuthorizationsUrlOf(named) };
    },

    /** From the runners' audit logs: the latest removal or re-keying per runner, if the user has no connection there now. */
    async endedByAdmin(user: SessionUser, runnerRows: { id: string; name: string }[], authentications: { runnerId: string }[]) {
      if (!deps.audit) return [];
      const since = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();
      const ended = [];
      for (const runner of runnerRows) {
        if (authentications.some((a) => a.runnerId === runner.id)) continue;
        const entries = await deps.audit.listForRunner(user.orgId, runner.id, 20);
        for (const entry of entries) {
          if (entry.at < since) break;
          if (entry.action === 'git_authentication.revoked') {
            // An admin revoked a connection in Runner › Connections: said only to its own user.
            const revoked = JSON.parse(entry.details) as { userId?: unknown; host?: unknown };
            if (revoked.userId !== user.id || typeof revoked.host !== 'string') continue;
            ended.push({ runnerId: runner.id, runnerName: runner.name, host: revoked.host, at: entry.at, reason: 'revoked_by_admin' } as const);
            break;
          }
          const changes = entry.action === 'integration.updated' ? ((JSON.parse(entry.details) as { changes?: unknown }).changes ?? []) : [];
          const reason =
            entry.action === 'integration.deleted'
              ? 'integration_deleted'
              : Array.isArray(changes) && changes.includes('oauth_disabled')
                ? 'oauth_disabled'
                : Array.isArray(changes) && changes.includes('client_id_changed')
                  ? 'client_id_changed'
                  : null;
          if (!reason) continue;
          // The target reads "<provider name> (<host>)": the host is in the brackets.
          const host = /\(([^)]+)\)$/.exec(entry.target)?.[1] ?? entry.target;
          ended.push({ runnerId: runner.id, runnerName: runner.name, host, at: entry.at, reason } as const);
          break;
        }
      }
      return ended;
    },

    async deleteGitAuthentication(user: SessionUser, runnerId: string, tokenId: string): Promise<void> {
      const runner = await runners.requireRunner(user, runnerId);
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) throw runnerOffline();
      let token: z.infer<typeof ListTokensResult>['tokens'][number] | undefined;
      try {
        // Read first what is deleted, for the audit log (host and account name; never the token).
        // Only for the log: a runner that cannot list still disconnects.
        token = await conn
          .request('listTokens', { userId: user.id }, 5_000)
          .then((listed) => ListTokensResult.parse(listed).tokens.find((t) => t.id === tokenId))
          .catch(() => undefined);
        await conn.request('deleteToken', { userId: user.id, tokenId }, 5_000);
      } catch (err) {
        if (err instanceof LinkRequestError && err.code === 'not_found') throw notFound('This connection');
        throw mapLinkError(err);
      }
      const provider = token ? (findScmProviderByHost(token.host)?.name ?? token.host) : 'a provider';
      await deps.audit?.record({
        orgId: user.orgId,
        runnerId: runner.id,
        actor: user,
        action: 'git_authentication.disconnected',
        target: `${provider} (${token?.accountName ?? 'unknown account'})`,
        details: { host: token?.host ?? null, accountUsername: token?.accountUsername ?? null },
      });
    },
  };
}
export type ConnectService = ReturnType<typeof createConnectService>;
