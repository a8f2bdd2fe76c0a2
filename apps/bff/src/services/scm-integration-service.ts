import { randomUUID } from 'node:crypto';
import {
  CountApiTokensResult,
  NO_METHOD_MESSAGE,
  DeleteTokensForIntegrationParams,
  showForbiddenCharacters,
  ValidateIntegrationResult,
  type CreateScmIntegrationRequest,
  type IntegrationValidation,
  type PageQuery,
  type RunnerConfigurationSchema,
  type RunnerPublicJwk,
  type RunnerIntegrationConfig,
  type ScmIntegration,
  type SessionUser,
  type UpdateScmIntegrationRequest,
  type ValidateScmIntegrationResponse,
} from '@runner-console/contracts';
import { EnvelopeError, checkEnvelopeBinding, sealClientSecret } from '@runner-console/envelope';
import { classifyProviderHost, clientIdMissingMessage, clientSecretMissingMessage, getScmProvider, readTenantInput, scmProviders, type ScmProvider } from '@runner-console/scm-providers';
import type { Logger } from '../logger.ts';
import type { EventHub } from '../events/event-hub.ts';
import { describeAuditActor, type AuditStore } from '../store/audit-store.ts';
import type { ScmIntegrationListRow, ScmIntegrationsStore } from '../store/scm-integrations-store.ts';
import type { ScmIntegrationsTable, RunnersTable } from '../store/schema.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import { LinkRequestError } from '../runner-link/runner-connection.ts';
import { HttpError, notFound } from '../http/http-error.ts';
import type { RunnerService } from './runner-service.ts';
import type { RunnerConfigPush } from './runner-config-push.ts';
import { decodeCursor, pageOf } from './page-cursor.ts';
import { JsonText } from '../http/json-text.ts';

type ScmIntegrationPage = { integrations: ScmIntegration[]; nextCursor: string | null };

export const oauthCallbackPath = '/oauth/callback';

/** The OAuth callback URL the runner uses now: from the URL it last reported, else the pinned one. */
export function currentCallbackUrlOf(runner: RunnersTable): string | null {
  const base = runner.public_url ?? runner.pinned_public_url;
  return base ? `${base}${oauthCallbackPath}` : null;
}

/**
 * The runner's callback URL when it differs from the one the integration's OAuth consumer was set up
 * with: the provider would then refuse every Connect with "Invalid redirect_uri".
 */
export function changedCallbackUrlOf(row: Pick<ScmIntegrationsTable, 'callback_url' | 'oauth_enabled'>, runner: RunnersTable): string | null {
  const current = runner.public_url ? `${runner.public_url}${oauthCallbackPath}` : null;
  return row.oauth_enabled === 1 && row.callback_url && current && current !== row.callback_url ? current : null;
}

export function callbackChangedMessage(registered: string, current: string): string {
  return `Callback URL changed: the runner now answers at ${current}, but the OAuth consumer was set up with ${registered}. Paste the new URL into the consumer's Callback URL and confirm it here, or restart the runner with its original public URL.`;
}

/**
 * The provider's shape of an integration on `host`: the tenant's issuer (for OAuth servers with
 * tenants) and the collection path (for a self-managed product that has one); a self-managed
 * product without OAuth refuses OAuth. Throws a 400 with the field to fix.
 */
export function readProviderShape(
  provider: ScmProvider,
  host: string,
  body: { oauthEnabled?: boolean; issuerUrl?: string; virtualDirectory?: string },
): { issuerUrl: string | null; virtualDirectory: string | null } {
  const selfManaged = host !== provider.defaultHost ? provider.selfManaged : undefined;
  if (selfManaged && !selfManaged.oauth && body.oauthEnabled) {
    const message = `${selfManaged.name} has no OAuth: turn on personal access tokens instead.`;
    throw new HttpError(400, 'validation_failed', message, { oauthEnabled: message });
  }
  const tenant = provider.oauth?.tenant;
  if (body.oauthEnabled && tenant && !body.issuerUrl) {
    const message = `Enter the ${tenant.label}.`;
    throw new HttpError(400, 'validation_failed', message, { issuerUrl: message });
  }
  let issuerUrl: string | null = null;
  if (body.oauthEnabled && tenant) {
    const read = readTenantInput(provider, body.issuerUrl ?? '');
    if (!read.ok) throw new HttpError(400, 'validation_failed', read.message, { issuerUrl: read.message });
    issuerUrl = read.issuerUrl;
  }
  const directory = selfManaged?.virtualDirectory;
  const virtualDirectory = body.virtualDirectory?.replace(/^\/+|\/+$/g, '') || null;
  if (directory && !virtualDirectory) {
    const message = `Enter the ${directory.label.toLowerCase()} (such as ${directory.example}).`;
    throw new HttpError(400, 'validation_failed', message, { virtualDirectory: message });
  }
  return { issuerUrl, virtualDirectory: directory ? virtualDirectory : null };
}

export function currentKidOf(runner: RunnersTable): string | null {
  return runner.public_key_jwk ? (JSON.parse(runner.public_key_jwk) as RunnerPublicJwk).kid : null;
}

/** `currentKid` may be passed in when mapping many rows of one runner, to read its key once. */
export function toScmIntegration(row: ScmIntegrationsTable | ScmIntegrationListRow, runner: RunnersTable, forAdmin: boolean, currentKid = currentKidOf(runner)): ScmIntegration {
  const newCallbackUrl = changedCallbackUrlOf(row, runner);
  return {
    id: row.id,
    runnerId: row.runner_id,
    provider: row.provider,
    host: row.host,
    oauthEnabled: row.oauth_enabled === 1,
    patEnabled: row.pat_enabled === 1,
    ...(forAdmin ? { clientId: row.client_id, secretKeyId: row.secret_kid } : {}),
    issuerUrl: row.issuer_url ?? null,
    virtualDirectory: row.virtual_directory ?? null,
    hasClientSecret: 'has_client_secret' in row ? row.has_client_secret === 1 : row.secret_envelope !== null,
    secretNeedsReentry: row.secret_kid !== null && currentKid !== null && row.secret_kid !== currentKid,
    // A changed callback URL outranks any earlier result: nothing works until it is fixed.
    validation: newCallbackUrl
      ? { status: 'callback_url_changed', message: callbackChangedMessage(row.callback_url!, newCallbackUrl), checkedAt: row.validated_at }
      : {
          status: row.validation_status as IntegrationValidation['status'],
          message: row.validation_message,
          checkedAt: row.validated_at,
        },
    callbackUrl: row.oauth_enabled === 1 ? row.callback_url : null,
    newCallbackUrl,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

const envelopeMessages: Partial<Record<string, string>> = {
  wrong_key: "The runner's key changed while the form was open. Close the dialog, open it again and re-enter the secret.",
  wrong_runner: 'This secret was encrypted for another runner. Re-enter the secret.',
  wrong_host: 'This secret was encrypted for another host. Re-enter the secret.',
};

export function createScmIntegrationService(deps: {
  store: ScmIntegrationsStore;
  runners: RunnerService;
  audit: AuditStore;
  hub: EventHub;
  link: () => RunnerLinkServer;
  configPush: RunnerConfigPush;
  log: Logger;
}) {
  const { store, runners, audit, hub, log } = deps;

  function runnerKey(runner: RunnersTable): RunnerPublicJwk | null {
    return runner.public_key_jwk ? (JSON.parse(runner.public_key_jwk) as RunnerPublicJwk) : null;
  }

  function publish(user: SessionUser, runner: RunnersTable, id: string, row: ScmIntegrationsTable | undefined) {
    // Events go to everyone in the org; members get the redacted view.
    hub.publish(user.orgId, {
      type: 'integration.changed',
      runnerId: runner.id,
      integrationId: id,
      integration: row ? toScmIntegration(row, runner, false) : null,
    });
  }

  /** Seal or check the secret so that only ciphertext bound to this runner, key and host is stored. */
  async function prepareSecret(
    runner: RunnersTable,
    host: string,
    body: { oauthClientSecretEnvelope?: string; oauthPlaintextClientSecret?: string },
  ): Promise<{ envelope: string; kid: string } | undefined> {
    if (!body.oauthClientSecretEnvelope && !body.oauthPlaintextClientSecret) return undefined;
    const key = runnerKey(runner);
    if (!key) throw noKey();
    try {
      if (body.oauthPlaintextClientSecret) {
        const envelope = await sealClientSecret({ secret: body.oauthPlaintextClientSecret, publicJwk: key, runnerId: runner.id, host });
        return { envelope, kid: key.kid };
      }
      const binding = checkEnvelopeBinding(body.oauthClientSecretEnvelope, { runnerId: runner.id, kid: key.kid, host });
      return { envelope: body.oauthClientSecretEnvelope!, kid: binding.kid };
    } catch (err) {
      if (err instanceof EnvelopeError) {
        const message = envelopeMessages[err.code] ?? `The encrypted secret was refused: ${err.message}`;
        throw new HttpError(400, 'validation_failed', message, { clientSecret: message });
      }
      throw err;
    }
  }

  async function validateRow(user: SessionUser, runner: RunnersTable, row: ScmIntegrationsTable): Promise<ValidateScmIntegrationResponse> {
    let validation: IntegrationValidation;
    const fieldErrors: ValidateScmIntegrationResponse['fieldErrors'] = {};
    const now = () => new Date().toISOString();
    const conn = deps.link().connectionOf(runner.id);
    const newCallbackUrl = changedCallbackUrlOf(row, runner);
    if (row.oauth_enabled !== 1) {
      validation = { status: 'oauth_disabled', message: 'OAuth is off: there is nothing to validate.', checkedAt: now() };
    } else if (newCallbackUrl) {
      // Client credentials would still pass, but every developer's Connect would end on the provider's
      // "Invalid redirect_uri" page: that is not valid.
      validation = { status: 'callback_url_changed', message: callbackChangedMessage(row.callback_url!, newCallbackUrl), checkedAt: now() };
    } else if (!conn) {
      validation = { status: 'runner_offline', message: 'The runner is offline. Start it, then validate again.', checkedAt: now() };
    } else {
      try {
        // The runner must have the current configuration before it can check it.
        await deps.configPush.push(runner.id);
        const result = ValidateIntegrationResult.parse(await conn.request('validateIntegration', { integrationId: row.id }, 20_000));
        validation = { status: result.status, message: result.message, checkedAt: now() };
        if (result.field) fieldErrors[result.field] = result.message;
      } catch (err) {
        const offline = err instanceof LinkRequestError && (err.code === 'runner_offline' || err.code === 'runner_timeout');
        validation = offline
          ? { status: 'runner_offline', message: 'The runner did not answer. Check that it is running, then validate again.', checkedAt: now() }
          : { status: 'provider_unreachable', message: (err as Error).message, checkedAt: now() };
      }
    }
    const updated = await store.update(row.id, {
      validation_status: validation.status,
      validation_message: validation.message,
      validated_at: validation.checkedAt,
    });
    publish(user, runner, row.id, updated);
    return { validation, fieldErrors };
  }

  async function requireIntegration(user: SessionUser, runnerId: string, id: string) {
    const runner = await runners.requireRunner(user, runnerId);
    const row = await store.find(user.orgId, runner.id, id);
    if (!row) throw notFound('This integration');
    return { runner, row };
  }

  /**
   * Ask the runner to check a Key and Secret before they are stored, so a wrong one is refused with
   * the error on its field and whatever is saved today stays in force. Anything short of "valid"
   * throws; the refusal is audited (never with the secret).
   */
  async function checkCandidate(
    user: SessionUser,
    runner: RunnersTable,
    candidate: RunnerIntegrationConfig,
    replacing: boolean,
  ): Promise<IntegrationValidation> {
    const providerName = getScmProvider(candidate.provider).name;
    const kept = replacing ? ' Nothing was changed: the current Key and Secret stay in force.' : ' Nothing was saved.';
    const conn = deps.link().connectionOf(runner.id);
    if (!conn) {
      throw new HttpError(
        502,
        'runner_offline',
        `${runner.name} is offline, so it cannot check the Key and Secret with ${providerName}.${kept} Start the runner, then save again.`,
      );
    }
    let result: ValidateIntegrationResult;
    try {
      result = ValidateIntegrationResult.parse(await conn.request('validateCandidate', { integration: candidate }, 20_000));
    } catch (err) {
      if (err instanceof LinkRequestError && (err.code === 'runner_offline' || err.code === 'runner_timeout')) {
        throw new HttpError(504, 'runner_timeout', `${runner.name} did not answer in time, so the Key and Secret could not be checked.${kept} Check that the runner is running, then save again.`);
      }
      if (err instanceof LinkRequestError && err.code === 'unknown_method') {
        throw new HttpError(502, 'runner_offline', `${runner.name} runs an older version that cannot check a Key and Secret before saving.${kept} Update the runner, then save again.`);
      }
      throw err;
    }
    if (result.status === 'valid') return { status: 'valid', message: result.message, checkedAt: new Date().toISOString() };
    await audit.record({
      orgId: user.orgId,
      runnerId: runner.id,
      actor: user,
      action: 'integration.validation_failed',
      target: `${providerName} (${candidate.host})`,
      details: { status: result.status, clientId: candidate.clientId, kept: replacing ? 'current secret' : 'nothing saved' },
    });
    if (result.status === 'provider_unreachable') throw new HttpError(502, 'provider_unreachable', `${result.message}${kept}`);
    const field = result.field ?? 'clientSecret';
    // The field says it all: what was refused, and that nothing replaced the working Key and Secret.
    throw new HttpError(400, 'validation_failed', `${result.message}${kept}`, { [field]: `${result.message}${kept}` });
  }

  function validateInBackground(user: SessionUser, runner: RunnersTable, row: ScmIntegrationsTable) {
    if (row.oauth_enabled !== 1 || !row.secret_envelope) return;
    validateRow(user, runner, row).catch((err) => log.warn({ err: (err as Error).message }, 'automatic validation failed'));
  }

  async function removeRunnerTokens(runnerId: string, integrationId: string, kind?: 'oauth' | 'api_token') {
    const conn = deps.link().connectionOf(runnerId);
    // An offline runner drops them when it reconnects and sees the new configuration.
    const params = DeleteTokensForIntegrationParams.parse({ integrationId, ...(kind ? { kind } : {}) });
    if (conn) await conn.request('deleteTokensForIntegration', params, 5_000).catch(() => undefined);
  }


  // Serialized list pages, keyed by the store's row array (see listJson).
  const serializedPages = new WeakMap<readonly ScmIntegrationListRow[], Map<string, JsonText<ScmIntegrationPage>>>();

  async function loadPage(user: SessionUser, runnerId: string, page: PageQuery) {
    const after = decodeCursor(page.cursor, ['string', 'string'] as const);
    const runner = await runners.requireRunner(user, runnerId);
    const rows = await store.listPageByRunner(user.orgId, runner.id, page.limit, after);
    const forAdmin = user.role === 'admin';
    const kid = currentKidOf(runner);
    const build = (list: readonly ScmIntegrationListRow[]): ScmIntegrationPage => {
      const { items, nextCursor } = pageOf(list, page.limit, (r) => [r.created_at, r.id]);
      return { integrations: items.map((r) => toScmIntegration(r, runner, forAdmin, kid)), nextCursor };
    };
    return { rows, view: `${forAdmin ? 'admin' : 'member'}|${kid ?? ''}|${runner.public_url ?? ''}`, build };
  }

  return {
    async configurationSchema(user: SessionUser, runnerId: string): Promise<RunnerConfigurationSchema> {
      const runner = await runners.requireRunner(user, runnerId);
      const callbackUrl = currentCallbackUrlOf(runner);
      return {
        runnerId: runner.id,
        publicKey: runnerKey(runner),
        runnerOnline: deps.link().isConnected(runner.id),
        providers: scmProviders.map((p) => ({
          id: p.id,
          name: p.name,
          supported: p.supported,
          unsupportedReason: p.unsupportedReason ?? null,
          defaultHost: p.defaultHost,
          hostEditable: p.hostEditable,
          callbackUrl: p.supported ? callbackUrl : null,
          requiredScopes: p.oauth?.requiredScopes ? [...p.oauth.requiredScopes] : [],
          clientIdLabel: p.oauth?.clientIdLabel ?? null,
          clientSecretLabel: p.oauth?.clientSecretLabel ?? null,
          docsUrl: p.docs?.oauthConsumerUrl ?? null,
          tenant: p.oauth?.tenant ? { ...p.oauth.tenant } : null,
          selfManaged: p.selfManaged ? { name: p.selfManaged.name, oauth: p.selfManaged.oauth, virtualDirectory: p.selfManaged.virtualDirectory ? { ...p.selfManaged.virtualDirectory } : null } : null,
          ...(p.oauthClientKinds
            ? {
                clientKinds: p.oauthClientKinds.map((kind) => ({
                  ...kind,
                  steps: [...kind.steps],
                  permissions: kind.permissions ? kind.permissions.map((permission) => ({ ...permission })) : null,
                })),
              }
            : {}),
          apiTokens: p.apiTokens
            ? {
                label: p.apiTokens.label,
                createUrl: p.apiTokens.createUrl,
                createPageLabel: p.apiTokens.createPageLabel,
                docsUrl: p.apiTokens.docsUrl,
                requiredScopes: [...p.apiTokens.requiredScopes],
                maxLifetimeDays: p.apiTokens.maxLifetimeDays,
              }
            : null,
        })),
      };
    },

    async list(user: SessionUser, runnerId: string, page: PageQuery = { limit: 50 }): Promise<ScmIntegrationPage> {
      const { rows, build } = await loadPage(user, runnerId, page);
      return build(rows);
    },

    /**
     * The same page as JSON bytes. The store hands back the same frozen rows until a write changes
     * them, so the bytes are made once per page and view (admin or member, the runner's current key)
     * and then sent as they are: the dashboard repeats this read on every runner page load and refetch.
     */
    async listJson(user: SessionUser, runnerId: string, page: PageQuery = { limit: 50 }): Promise<JsonText<ScmIntegrationPage>> {
      const { rows, view, build } = await loadPage(user, runnerId, page);
      let views = serializedPages.get(rows);
      if (!views) serializedPages.set(rows, (views = new Map()));
      let json = views.get(view);
      if (json === undefined) {
        json = JsonText.of(build(rows));
        views.set(view, json);
      }
      return json;
    },

    async create(user: SessionUser, runnerId: string, body: CreateScmIntegrationRequest): Promise<ScmIntegration> {
      const runner = await runners.requireRunner(user, runnerId);
      const provider = getScmProvider(body.provider);
      if (!provider.supported) {
        const message = provider.unsupportedReason ?? `${provider.name} is not available yet.`;
        throw new HttpError(400, 'validation_failed', message, { provider: message });
      }
      const hostCheck = classifyProviderHost(body.provider, body.host);
      if (!hostCheck.ok) throw new HttpError(400, 'validation_failed', hostCheck.message, { host: hostCheck.message });
      const host = hostCheck.host;
      if (body.patEnabled && !provider.apiTokens) {
        const message = `${provider.name} does not take personal access tokens. Turn on Enable OAuth instead.`;
        throw new HttpError(400, 'validation_failed', message, { patEnabled: message });
      }
      const shape = readProviderShape(provider, host, body);
      const existing = await store.findByHost(runner.id, host);
      if (existing) {
        const message = `This runner already has a ${getScmProvider(existing.provider).name} integration for ${existing.host}${existing.updated_by ? `, last changed by ${existing.updated_by}` : ''}. Edit that one instead.`;
        throw new HttpError(409, 'conflict', message, { host: message });
      }
      const secret = body.oauthEnabled ? await prepareSecret(runner, host, body) : undefined;
      const id = randomUUID();
      // With both halves present the runner checks them first; an API client may save a Key alone.
      const checked =
        secret && body.clientId
          ? await checkCandidate(user, runner, { id, provider: body.provider, host, oauthEnabled: true, clientId: body.clientId, clientSecretEnvelope: secret.envelope, issuerUrl: shape.issuerUrl, virtualDirectory: shape.virtualDirectory }, false)
          : undefined;
      const now = new Date().toISOString();
      const row: ScmIntegrationsTable = {
        id,
        org_id: user.orgId,
        runner_id: runner.id,
        provider: body.provider,
        host,
        oauth_enabled: body.oauthEnabled ? 1 : 0,
        pat_enabled: body.patEnabled ? 1 : 0,
        client_id: body.oauthEnabled ? (body.clientId ?? null) : null,
        secret_envelope: secret?.envelope ?? null,
        secret_kid: secret?.kid ?? null,
        issuer_url: shape.issuerUrl,
        virtual_directory: shape.virtualDirectory,
        validation_status: body.oauthEnabled ? (checked?.status ?? 'pending') : 'oauth_disabled',
        validation_message: checked?.message ?? null,
        validated_at: checked?.checkedAt ?? null,
        callback_url: currentCallbackUrlOf(runner),
        created_at: now,
        updated_at: now,
        updated_by: user.email,
      };
      await store.insert(row);
      await audit.record({
        orgId: user.orgId,
        runnerId: runner.id,
        actor: user,
        action: 'integration.created',
        target: `${provider.name} (${host})`,
        details: { oauthEnabled: body.oauthEnabled, patEnabled: row.pat_enabled === 1, clientId: row.client_id, secret: secret ? 'set' : 'not set' },
      });
      await deps.configPush.push(runner.id);
      publish(user, runner, row.id, row);
      if (!checked) validateInBackground(user, runner, row);
      return toScmIntegration(row, runner, true);
    },

    async update(user: SessionUser, runnerId: string, id: string, body: UpdateScmIntegrationRequest): Promise<ScmIntegration> {
      const { runner, row } = await requireIntegration(user, runnerId, id);
      const secret = await prepareSecret(runner, row.host, body);
      const oauthEnabled = body.oauthEnabled ?? row.oauth_enabled === 1;
      const patEnabled = body.patEnabled ?? row.pat_enabled === 1;
      if (!oauthEnabled && !patEnabled) {
        throw new HttpError(400, 'validation_failed', NO_METHOD_MESSAGE, { oauthEnabled: NO_METHOD_MESSAGE });
      }
      if (patEnabled && !getScmProvider(row.provider).apiTokens) {
        const message = `${getScmProvider(row.provider).name} does not take personal access tokens.`;
        throw new HttpError(400, 'validation_failed', message, { patEnabled: message });
      }
      const clientId = body.clientId ?? row.client_id;
      const provider = getScmProvider(row.provider);
      const issuerUrl = oauthEnabled ? (body.issuerUrl ?? row.issuer_url) : row.issuer_url;
      const shape = oauthEnabled ? readProviderShape(provider, row.host, { oauthEnabled, issuerUrl: issuerUrl ?? undefined, virtualDirectory: row.virtual_directory ?? undefined }) : null;
      const newIssuer = shape ? shape.issuerUrl : row.issuer_url;
      if (oauthEnabled && (!clientId || !(secret ?? row.secret_envelope))) {
        throw new HttpError(400, 'validation_failed', 'Enter the Client ID and Client Secret to turn OAuth on.', {
          ...(clientId ? {} : { clientId: clientIdMissingMessage(getScmProvider(row.provider)) }),
          ...(secret ?? row.secret_envelope ? {} : { clientSecret: clientSecretMissingMessage(getScmProvider(row.provider)) }),
        });
      }
      const currentCallback = currentCallbackUrlOf(runner);
      if (body.callbackUrl !== undefined && body.callbackUrl !== currentCallback) {
        const message = currentCallback
          ? `The runner's callback URL is ${currentCallback}. Paste that into the OAuth consumer, then confirm it.`
          : 'The runner has not reported its callback URL yet. Start it, then confirm the callback URL.';
        throw new HttpError(400, 'validation_failed', message, { callbackUrl: message });
      }
      const changes: string[] = [];
      if (body.callbackUrl !== undefined && body.callbackUrl !== row.callback_url) changes.push('callback_url_confirmed');
      if (oauthEnabled !== (row.oauth_enabled === 1)) changes.push(oauthEnabled ? 'oauth_enabled' : 'oauth_disabled');
      if (patEnabled !== (row.pat_enabled === 1)) changes.push(patEnabled ? 'pat_enabled' : 'pat_disabled');
      if (clientId !== row.client_id) changes.push('client_id_changed');
      if (newIssuer !== row.issuer_url) changes.push('issuer_changed');
      if (secret) changes.push('secret_replaced');
      // Nothing changed: leave the row, its "last changed by" and the audit log as they are.
      if (!changes.length) return toScmIntegration(row, runner, true);
      // A new Key, Secret or OAuth turned on: the runner checks the result before it replaces anything.
      const checked = oauthEnabled
        ? await checkCandidate(
            user,
            runner,
            { id: row.id, provider: row.provider as RunnerIntegrationConfig['provider'], host: row.host, oauthEnabled: true, clientId, clientSecretEnvelope: secret?.envelope ?? row.secret_envelope, issuerUrl: newIssuer, virtualDirectory: row.virtual_directory },
            row.oauth_enabled === 1 && row.secret_envelope !== null,
          )
        : undefined;
      const updated = await store.update(row.id, {
        oauth_enabled: oauthEnabled ? 1 : 0,
        pat_enabled: patEnabled ? 1 : 0,
        client_id: clientId,
        issuer_url: newIssuer,
        ...(secret ? { secret_envelope: secret.envelope, secret_kid: secret.kid } : {}),
        // Whoever saves the integration works from the callback URL the dialog shows: the current one.
        callback_url: currentCallback ?? row.callback_url,
        validation_status: checked?.status ?? 'oauth_disabled',
        validation_message: checked?.message ?? null,
        validated_at: checked?.checkedAt ?? null,
        updated_at: new Date().toISOString(),
        updated_by: user.email,
      });
      if (!updated) throw notFound('This integration');
      await audit.record({
        orgId: user.orgId,
        runnerId: runner.id,
        actor: user,
        action: 'integration.updated',
        target: `${getScmProvider(row.provider).name} (${row.host})`,
        details: { changes, clientId, patEnabled, ...(changes.includes('callback_url_confirmed') ? { callbackUrl: currentCallback } : {}) },
      });
      await deps.configPush.push(runner.id);
      // Turning OAuth off (or swapping the OAuth app) ends every connection made through it; turning
      // tokens off ends exactly the token connections. The runner also does this itself when it
      // receives the configuration (so an offline runner catches up); asking now makes it immediate.
      if (changes.includes('oauth_disabled') || changes.includes('client_id_changed') || changes.includes('issuer_changed')) await removeRunnerTokens(runner.id, row.id, 'oauth');
      if (changes.includes('pat_disabled')) await removeRunnerTokens(runner.id, row.id, 'api_token');
      publish(user, runner, row.id, updated);
      return toScmIntegration(updated, runner, true);
    },

    async remove(user: SessionUser, runnerId: string, id: string): Promise<void> {
      const { runner, row } = await requireIntegration(user, runnerId, id);
      // A second delete (a double click) finds it gone: 404, and nothing is done twice.
      if (!(await store.remove(row.id))) throw notFound('This integration');
      await audit.record({
        orgId: user.orgId,
        runnerId: runner.id,
        actor: user,
        action: 'integration.deleted',
        target: `${getScmProvider(row.provider).name} (${row.host})`,
        details: { clientId: row.client_id },
      });
      await deps.configPush.push(runner.id);
      await removeRunnerTokens(runner.id, row.id);
      publish(user, runner, row.id, undefined);
    },

    /** For the warning before tokens are turned off: how many token connections that deletes. */
    async countApiTokenConnections(user: SessionUser, runnerId: string, id: string): Promise<{ count: number | null }> {
      const { runner, row } = await requireIntegration(user, runnerId, id);
      const conn = deps.link().connectionOf(runner.id);
      if (!conn) return { count: null };
      try {
        return CountApiTokensResult.parse(await conn.request('countApiTokens', { integrationId: row.id }, 5_000));
      } catch {
        return { count: null };
      }
    },

    async validate(user: SessionUser, runnerId: string, id: string): Promise<ValidateScmIntegrationResponse> {
      const { runner, row } = await requireIntegration(user, runnerId, id);
      return validateRow(user, runner, row);
    },

    /**
     * On every runner connection: integrations saved before callback URLs were recorded take the
     * runner's current one, and open dashboards re-read each integration (a new public URL changes
     * whether it shows "Callback URL changed").
     */
    async onRunnerConnected(runnerId: string): Promise<void> {
      const runner = await runners.findById(runnerId);
      const callbackUrl = runner && currentCallbackUrlOf(runner);
      if (!runner || !callbackUrl) return;
      await store.pinMissingCallbackUrls(runner.id, callbackUrl);
      for (const row of await store.listForRunnerConfig(runner.id)) {
        hub.publish(runner.org_id, { type: 'integration.changed', runnerId: runner.id, integrationId: row.id, integration: toScmIntegration(row, runner, false) });
      }
    },

    /**
     * After a key rotation: every secret sealed to an earlier key is flagged for re-entry (it still
     * works meanwhile). After an admin accepted a new key the runner presented (`accepted`), the
     * runner holds no earlier key: those secrets no longer open at all.
     */
    async flagSecretsForReentry(user: SessionUser, runnerId: string, why: 'rotated' | 'accepted' = 'rotated'): Promise<void> {
      const runner = await runners.requireRunner(user, runnerId);
      const currentKid = runnerKey(runner)?.kid;
      for (const row of await store.listByRunner(user.orgId, runnerId)) {
        if (!row.secret_kid || row.secret_kid === currentKid) continue;
        const updated = await store.update(row.id, {
          validation_status: 'needs_new_secret',
          validation_message:
            why === 'rotated'
              ? "The runner's key was rotated. This secret keeps working until you re-enter it, which seals it to the new key."
              : "An admin accepted a new key for this runner. Secrets sealed to its old key cannot be opened with it: enter this secret again.",
          validated_at: new Date().toISOString(),
        });
        publish(user, runner, row.id, updated);
      }
    },

    async auditLog(user: SessionUser, runnerId: string, page: PageQuery = { limit: 50 }) {
      const after = decodeCursor(page.cursor, ['number'] as const);
      const runner = await runners.requireRunner(user, runnerId);
      const rows = await audit.listForRunner(user.orgId, runner.id, page.limit + 1, after?.[0]);
      const { items, nextCursor } = pageOf(rows, page.limit, (r) => [r.seq]);
      const entries = items.map((r) => ({ id: r.id, at: r.at, actor: describeAuditActor(r), action: r.action, target: showForbiddenCharacters(r.target), details: JSON.parse(r.details) as Record<string, unknown> }));
      return { entries, nextCursor };
    },
  };
}
export type ScmIntegrationService = ReturnType<typeof createScmIntegrationService>;

function noKey(): HttpError {
  return new HttpError(409, 'runner_no_key', 'This runner has not registered its public key yet, so it cannot receive secrets. Start the runner, wait until it shows active, then try again.');
}
