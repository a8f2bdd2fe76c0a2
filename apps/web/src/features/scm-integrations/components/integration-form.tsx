import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { NO_METHOD_MESSAGE, ScmIntegrationForm } from '@runner-console/contracts';
import { classifyProviderHost, clientIdMissingMessage, clientSecretMissingMessage, getScmProvider, readTenantInput } from '@runner-console/scm-providers';
import type {
  Runner,
  RunnerConfigurationSchema,
  ScmIntegration,
  ScmProviderId,
  UpdateScmIntegrationRequest,
} from '@runner-console/contracts';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { Switch } from '../../../components/ui/switch.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useIntentKeys } from '../../../lib/intent-keys.ts';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { loadOnDemand } from '../../../lib/load-on-demand.ts';
import { useRevealFirstError } from '../../../lib/reveal-first-error.ts';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import {
  useCreateScmIntegration,
  useUpdateScmIntegration,
} from '../api/use-scm-integration-mutations.ts';
import { ApiTokenScopesHelp } from './api-token-scopes-help.tsx';
import { OAuthConsumerHelp } from './oauth-consumer-help.tsx';
import { PatTurnOffWarning } from './pat-turn-off-warning.tsx';
import { ProviderPicker } from './provider-picker.tsx';
import { SelfHostedCheck } from './self-hosted-check.tsx';

// The sealing code (jose) is needed only on Save: it is fetched while the form is open.
const sealingCode = loadOnDemand(() => import('../../../lib/seal-client-secret.ts'));

type RunnerPublicKey = NonNullable<RunnerConfigurationSchema['publicKey']>;
type ProviderSettings = RunnerConfigurationSchema['providers'][number];

const TOKENS_DELETED_WARNING =
  'Every developer who connected through this OAuth app must connect again. Their tokens are deleted from the runner.';

/**
 * The contract's ScmIntegrationForm, adapted to the modal: Client ID and Secret matter only with
 * OAuth on, and when editing an empty secret means "unchanged".
 */
function integrationFormSchema(secretRequired: boolean) {
  const { clientId, clientSecret } = ScmIntegrationForm.shape;
  return z
    .object({
      provider: ScmIntegrationForm.shape.provider,
      host: z.string(),
      oauthEnabled: z.boolean(),
      patEnabled: z.boolean(),
      clientId: z.string(),
      clientSecret: z.string(),
      /** The tenant (directory id, domain or issuer URL), for providers whose OAuth has tenants. */
      issuerUrl: z.string(),
      /** The collection path, for a self-managed product that has one. */
      virtualDirectory: z.string(),
    })
    .check(
      z.superRefine((values, ctx) => {
        // A host the provider cannot take (a cloud URL typed as a self-hosted one) is named at once.
        const provider = getScmProvider(values.provider);
        if (values.host.trim() === '') {
          if (provider.defaultHost === '') ctx.addIssue({ code: 'custom', path: ['host'], message: `Enter the host of your ${provider.name}, such as ${provider.hostExample ?? 'git.example.com'}.` });
        } else {
          const hostCheck = classifyProviderHost(values.provider, values.host);
          if (!hostCheck.ok) ctx.addIssue({ code: 'custom', path: ['host'], message: hostCheck.message });
        }
        if (!values.oauthEnabled && !values.patEnabled) {
          ctx.addIssue({ code: 'custom', path: ['oauthEnabled'], message: NO_METHOD_MESSAGE });
        }
        const entry = getScmProvider(values.provider);
        const selfManaged = selfManagedShape(entry, values.host);
        if (selfManaged?.virtualDirectory && values.virtualDirectory.trim().replace(/^\/+|\/+$/g, '') === '') {
          ctx.addIssue({ code: 'custom', path: ['virtualDirectory'], message: `Enter the ${selfManaged.virtualDirectory.label.toLowerCase()} (such as ${selfManaged.virtualDirectory.example}).` });
        }
        if (!values.oauthEnabled) return;
        if (entry.oauth?.tenant) {
          const tenant = readTenantInput(entry, values.issuerUrl);
          if (!tenant.ok) ctx.addIssue({ code: 'custom', path: ['issuerUrl'], message: tenant.message });
        }
        // An empty field is named in the provider's own words ("Bitbucket calls it Key").
        const id = clientId.safeParse(values.clientId);
        if (!id.success) {
          const message = values.clientId.trim() === '' ? clientIdMissingMessage(entry) : firstMessage(id.error);
          ctx.addIssue({ code: 'custom', path: ['clientId'], message });
        }
        if (values.clientSecret === '' && !secretRequired) return;
        const secret = clientSecret.safeParse(values.clientSecret);
        if (!secret.success) {
          ctx.addIssue({
            code: 'custom',
            path: ['clientSecret'],
            message: values.clientSecret.trim() === '' ? clientSecretMissingMessage(entry) : firstMessage(secret.error),
          });
        }
      }),
    );
}

/**
 * A self-hosted-only provider's token page is on the admin's own host: its catalogue URL (on the
 * example host) moved to the host typed above, once that is a host.
 */
function tokenPageOnHost<T extends { createUrl: string }>(apiTokens: T, defaultHost: string, typedHost: string): T {
  const host = typedHost.trim().toLowerCase();
  if (defaultHost !== '' || !/^[a-z0-9.-]+\.[a-z0-9-]+(:\d{1,5})?$/.test(host)) return apiTokens;
  const url = new URL(apiTokens.createUrl);
  return { ...apiTokens, createUrl: `https://${host}${url.pathname}${url.search}` };
}

/** The self-managed product's shape when `host` is not the provider's cloud host (Azure DevOps Server), else null. */
type SelfManagedShape = { name: string; oauth: boolean; virtualDirectory?: { label: string; example: string; help: string } | null | undefined };
function selfManagedShape(entry: { defaultHost: string; selfManaged?: SelfManagedShape | null | undefined }, host: string): SelfManagedShape | null {
  const typed = host.trim().toLowerCase();
  return entry.selfManaged && typed !== '' && typed !== entry.defaultHost ? entry.selfManaged : null;
}

function firstMessage(error: z.core.$ZodError): string {
  return error.issues[0]?.message ?? 'Check this field.';
}

type FormValues = z.infer<ReturnType<typeof integrationFormSchema>>;
const FIELD_NAMES = ['provider', 'host', 'oauthEnabled', 'patEnabled', 'clientId', 'clientSecret', 'issuerUrl', 'virtualDirectory'] as const;

/**
 * Why Save is not possible yet for a new integration, or null. Developers need a way to connect:
 * OAuth (Connect), personal access tokens, or both.
 */
export function saveBlockedReason(providerName: string, ways: { oauth: boolean; pat: boolean }, oauthOffered = true): string | null {
  if (ways.oauth || ways.pat) return null;
  if (!oauthOffered) return `Save needs a way for developers to connect to ${providerName}: turn on Enable personal access tokens.`;
  return `Save needs a way for developers to connect to ${providerName}: turn on Enable OAuth (an OAuth consumer), Enable personal access tokens, or both.`;
}

function defaultProvider(schema: RunnerConfigurationSchema): ScmProviderId {
  // The first supported provider in the catalogue's display order.
  const supported = schema.providers.filter((provider) => provider.supported);
  return supported[0]?.id ?? schema.providers[0]!.id;
}

export function IntegrationForm({
  runner,
  schema,
  publicKey,
  integration,
  onEditExisting,
  onTypedChange,
  onPendingChange,
  onDone,
}: {
  runner: Runner;
  schema: RunnerConfigurationSchema;
  publicKey: RunnerPublicKey;
  /** Present when editing. */
  integration?: ScmIntegration | undefined;
  /** Adding a provider the runner already has: the picker offers this instead of a form Save refuses. */
  onEditExisting?: ((integration: ScmIntegration) => void) | undefined;
  /** Whether a Key or Secret has been typed that closing would throw away. */
  onTypedChange?: ((typed: boolean) => void) | undefined;
  onPendingChange: (pending: boolean) => void;
  onDone: () => void;
}) {
  const isEdit = integration !== undefined;
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useCreateScmIntegration(runner.id);
  const update = useUpdateScmIntegration(runner.id, integration?.id ?? '');
  const [sealing, setSealing] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);

  const secretRequired = !isEdit || !integration.hasClientSecret || integration.secretNeedsReentry;
  const initialProvider = integration?.provider ?? defaultProvider(schema);
  // Built once per form, not on every render: the dialog's first frame is on the modal's budget.
  const resolver = useMemo(
    () => zodResolver(integrationFormSchema(secretRequired)),
    [secretRequired],
  );
  const form = useForm({
    resolver,
    mode: 'onTouched',
    // The first error is revealed below (scrolled clear of the sticky footer), not just focused.
    shouldFocusError: false,
    defaultValues: {
      provider: initialProvider,
      host:
        integration?.host ??
        schema.providers.find((provider) => provider.id === initialProvider)?.defaultHost ??
        '',
      // Starts off, as the set-up guide expects ("turn on Enable OAuth"); Save says why it needs it.
      oauthEnabled: integration?.oauthEnabled ?? false,
      patEnabled: integration?.patEnabled ?? false,
      clientId: integration?.clientId ?? '',
      clientSecret: '',
      issuerUrl: integration?.issuerUrl ?? '',
      virtualDirectory: integration?.virtualDirectory ?? '',
    },
  });
  const { errors } = form.formState;

  const providerId = form.watch('provider');
  const oauthEnabled = form.watch('oauthEnabled');
  const patEnabled = form.watch('patEnabled');
  const clientId = form.watch('clientId');
  const clientSecret = form.watch('clientSecret');
  const typed = clientSecret !== '' || clientId.trim() !== (integration?.clientId ?? '');
  useEffect(() => onTypedChange?.(typed), [typed, onTypedChange]);
  const provider: ProviderSettings | undefined = schema.providers.find(
    (candidate) => candidate.id === providerId,
  );
  const apiTokens = provider?.apiTokens ?? null;
  const hostValue = form.watch('host');
  const selfManaged = provider ? selfManagedShape(provider, hostValue) : null;
  const oauthOffered = !selfManaged || selfManaged.oauth;
  // A self-managed product without OAuth (Azure DevOps Server): tokens are the way in.
  useEffect(() => {
    if (!oauthOffered && form.getValues('oauthEnabled')) form.setValue('oauthEnabled', false);
  }, [oauthOffered, form]);

  // A new integration's host follows the chosen provider (github.com for GitHub, editable there;
  // empty for a self-hosted-only provider, whose host the admin types).
  const providerDefaultHost = provider?.defaultHost;
  useEffect(() => {
    if (isEdit || providerDefaultHost === undefined) return;
    form.setValue('host', providerDefaultHost);
  }, [isEdit, providerDefaultHost, form]);

  // One integration per provider host: adding Bitbucket again would only be refused at Save.
  const integrations = useQuery({ ...scmIntegrationQueries.list(runner.id), enabled: !isEdit });
  const existingIntegrations = isEdit ? [] : (integrations.data?.integrations ?? []);
  const host = form.watch('host');
  const existing = existingIntegrations.find(
    (candidate) => candidate.provider === providerId && candidate.host === host,
  );
  const addedProviderIds = new Set(
    existingIntegrations
      .filter((candidate) => !schema.providers.find((p) => p.id === candidate.provider)?.hostEditable)
      .map((candidate) => candidate.provider),
  );

  // The dialog focused what it had when it opened (maybe a loading message): start on the form.
  const formRef = useRef<HTMLFormElement>(null);
  const { reveal: revealFirstError } = useRevealFirstError(formRef);
  const formId = useId();
  const saveNoteId = useId();
  useEffect(() => {
    const element = formRef.current;
    if (!element) return;
    const first = isEdit
      ? (element.querySelector<HTMLElement>('input[name="clientId"]') ??
        element.querySelector<HTMLElement>('button[role="switch"]'))
      : element.querySelector<HTMLElement>('input[type="radio"]:checked');
    // After this commit's effects: the dialog around the form opens (showModal, and its own first
    // focus) in an effect that runs after this one, and a closed dialog's fields take no focus.
    queueMicrotask(() => first?.focus());
    // isEdit never changes for a mounted form: this runs once, later focus is the person's.
  }, [isEdit]);

  useEffect(() => sealingCode.preload(), []);

  const submitting = useRef(false);
  const intents = useIntentKeys();
  const sealedFor = useRef(new Map<string, string>());
  const saving = create.isPending || update.isPending;
  const busy = sealing || saving;
  useEffect(() => onPendingChange(busy), [busy, onPendingChange]);

  const turningOff = isEdit && integration.oauthEnabled && !oauthEnabled;
  const turningPatOff = isEdit && integration.patEnabled && !patEnabled;
  const clientIdChanged =
    isEdit &&
    oauthEnabled &&
    Boolean(integration.clientId) &&
    clientId.trim() !== integration.clientId;

  function showServerError(error: Error) {
    if (!isApiRequestError(error)) {
      setFormError(error.message);
      return;
    }
    if (error.code === 'runner_no_key') {
      // Read the key state again: the dialog then explains how to start the runner.
      void queryClient.invalidateQueries({
        queryKey: scmIntegrationQueries.configurationSchema(runner.id).queryKey,
      });
    }
    let fieldErrors = false;
    for (const name of FIELD_NAMES) {
      const message = error.fields[name];
      if (!message) continue;
      form.setError(name, { message });
      fieldErrors = true;
    }
    if (fieldErrors) revealFirstError();
    else setFormError(error.message);
  }

  const onSubmit = form.handleSubmit(async (values: FormValues) => {
    // A second click before this render could disable the button (a double click) does nothing.
    if (submitting.current || busy || !provider) return;
    submitting.current = true;
    let handedOff = false;
    try {
      handedOff = await save(values, provider);
    } finally {
      if (!handedOff) submitting.current = false;
    }
  }, revealFirstError);

  /** Seal and send; true when a request was sent (its end clears `submitting`). */
  async function save(values: FormValues, provider: ProviderSettings): Promise<boolean> {
    const settled = () => {
      submitting.current = false;
    };
    setFormError(null);
    const host = values.host;
    const newClientId = values.clientId.trim();
    const entry = getScmProvider(values.provider);
    const tenant = entry.oauth?.tenant && values.oauthEnabled ? readTenantInput(entry, values.issuerUrl) : null;
    const issuerUrl = tenant?.ok ? tenant.issuerUrl : undefined;
    const shape = selfManagedShape(entry, host);
    const virtualDirectory = shape?.virtualDirectory ? values.virtualDirectory.trim().replace(/^\/+|\/+$/g, '') : undefined;

    // One intent per input (and per opening of the form): the same values sent again (after a lost
    // answer) carry the same Idempotency-Key and the same sealed secret, so the BFF can answer
    // with the first result. Kept in this form's memory only, like the values themselves.
    const idempotencyKey = intents.keyFor({ ...values, clientId: newClientId, clientSecret: values.clientSecret.trim() });
    let envelope: string | undefined = sealedFor.current.get(idempotencyKey);
    if (!envelope && values.oauthEnabled && values.clientSecret !== '') {
      setSealing(true);
      let sealer: Awaited<ReturnType<typeof sealingCode.load>> | undefined;
      try {
        sealer = await sealingCode.load();
        // The only use of the plaintext: it is encrypted here and never sent.
        envelope = await sealer.sealClientSecret({
          secret: values.clientSecret.trim(),
          publicKey,
          runnerId: runner.id,
          host,
        });
        sealedFor.current.set(idempotencyKey, envelope);
      } catch (error) {
        const message =
          sealer && error instanceof sealer.SealClientSecretError
            ? error.message
            : 'The secret could not be encrypted in this browser. Reload the page and try again.';
        form.setError('clientSecret', { message });
        revealFirstError();
        return false;
      } finally {
        setSealing(false);
      }
    }

    const finish = (title: string, description?: string) => {
      form.resetField('clientSecret');
      toast({ title, ...(description ? { description } : {}), tone: 'success' });
      onDone();
    };

    if (!isEdit) {
      create.mutate(
        {
          idempotencyKey,
          body: {
            provider: values.provider,
            host,
            oauthEnabled: values.oauthEnabled,
            patEnabled: values.patEnabled,
            ...(values.oauthEnabled ? { clientId: newClientId, oauthClientSecretEnvelope: envelope } : {}),
            ...(issuerUrl ? { issuerUrl } : {}),
            ...(virtualDirectory ? { virtualDirectory } : {}),
          },
        },
        {
          onSettled: settled,
          onSuccess: (saved) =>
            finish(
              `${provider.name} added to ${runner.name}`,
              saved.oauthEnabled
                ? (saved.validation.message ?? 'Developers can now connect their accounts.')
                : 'Developers connect with API tokens.',
            ),
          onError: showServerError,
        },
      );
      return true;
    }

    const body: UpdateScmIntegrationRequest = {};
    if (values.oauthEnabled !== integration.oauthEnabled) body.oauthEnabled = values.oauthEnabled;
    if (values.patEnabled !== integration.patEnabled) body.patEnabled = values.patEnabled;
    if (values.oauthEnabled && newClientId !== (integration.clientId ?? '')) {
      body.clientId = newClientId;
    }
    if (envelope) body.oauthClientSecretEnvelope = envelope;
    if (issuerUrl && issuerUrl !== integration.issuerUrl) body.issuerUrl = issuerUrl;
    if (Object.keys(body).length === 0) {
      onDone();
      return false;
    }
    update.mutate(body, {
      onSettled: settled,
      onSuccess: (saved) =>
        turningPatOff
          ? finish(`Personal access tokens for ${provider.name} are off`, 'The tokens developers entered were deleted from the runner.')
          : saved.oauthEnabled
            ? finish(`${provider.name} integration updated`, saved.validation.message ?? undefined)
            : turningOff
              ? finish(`OAuth for ${provider.name} is off`, "Developers' OAuth tokens were deleted from the runner.")
              : finish(`${provider.name} integration updated`),
      onError: showServerError,
    });
    return true;
  }

  const blockedReason = !provider?.supported
    ? null
    : existing
      ? `${runner.name} already has ${provider.name}: edit that integration instead.`
      : saveBlockedReason(selfManaged && !oauthOffered ? selfManaged.name : provider.name, { oauth: oauthEnabled, pat: patEnabled }, oauthOffered);
  const submitDisabled = blockedReason !== null;

  return (
    <div className="integration-dialog">
      <form
        ref={formRef}
        id={formId}
        className="form integration-dialog__form"
        noValidate
        onSubmit={(event) => void onSubmit(event)}
      >
        {!schema.runnerOnline ? (
          <div className="callout callout--warning" role="note">
            <p className="callout__title">{runner.name} is offline.</p>
            <p>
              Saving needs the runner: it checks the Key and Secret with {provider?.name ?? 'the provider'}{' '}
              before anything is stored. Start it, then save.
            </p>
          </div>
        ) : null}

        {isEdit ? null : (
          <ProviderPicker
            providers={schema.providers}
            addedProviderIds={addedProviderIds}
            error={errors.provider?.message}
            {...form.register('provider')}
          />
        )}

        {provider?.supported && existing ? (
          <div className="callout" role="note">
            <p className="callout__title">
              {runner.name} already has a {provider.name} integration for {existing.host}.
            </p>
            <p>
              A runner has one integration per {provider.name} host. Change its OAuth app or API
              tokens there.
            </p>
            {onEditExisting ? (
              <p>
                <Button variant="primary" onClick={() => onEditExisting(existing)}>
                  Edit the {provider.name} integration
                </Button>
              </p>
            ) : null}
          </div>
        ) : provider?.supported ? (
          <>
            <div className="field-group">
              <TextField
                label="Host"
                readOnly={!provider.hostEditable}
                spellCheck={false}
                placeholder={provider.defaultHost === '' ? getScmProvider(provider.id).hostExample : undefined}
                hint={
                  provider.hostEditable
                    ? undefined
                    : `${provider.name} Cloud. Only ${provider.defaultHost} is supported.`
                }
                error={errors.host?.message}
                {...form.register('host')}
              />
              {isEdit ? null : <SelfHostedCheck providerId={provider.id} />}
            </div>

            {selfManaged?.virtualDirectory ? (
              <TextField
                label={selfManaged.virtualDirectory.label}
                readOnly={isEdit}
                spellCheck={false}
                autoCapitalize="off"
                className="field--mono"
                placeholder={selfManaged.virtualDirectory.example}
                hint={selfManaged.virtualDirectory.help}
                error={errors.virtualDirectory?.message}
                {...form.register('virtualDirectory')}
              />
            ) : null}
            {!oauthOffered && selfManaged ? (
              <p className="field__hint" role="note">
                {selfManaged.name} has no OAuth: developers connect with personal access tokens.
              </p>
            ) : null}

            {oauthOffered ? (
            <Controller
              control={form.control}
              name="oauthEnabled"
              render={({ field }) => (
                <Switch
                  label="Enable OAuth"
                  checked={field.value}
                  onCheckedChange={field.onChange}
                  onBlur={field.onBlur}
                  ref={field.ref}
                  description={
                    errors.oauthEnabled?.message ??
                    `Developers connect their own ${provider.name} accounts to this runner through an OAuth app.`
                  }
                />
              )}
            />
            ) : null}

            {turningOff ? (
              <div className="callout callout--warning">
                <p className="callout__title">Turning off OAuth disconnects everyone.</p>
                <p>{TOKENS_DELETED_WARNING}</p>
              </div>
            ) : null}

            {oauthEnabled ? (
              <>
                {provider.callbackUrl ? (
                  <CopyField label="Callback URL" value={provider.callbackUrl} />
                ) : (
                  <div className="callout callout--warning">
                    <p>
                      The runner has not reported its public URL yet, so its Callback URL is
                      unknown. Start the runner, then open this dialog again.
                    </p>
                  </div>
                )}
                {provider.tenant ? (
                  <TextField
                    label={provider.tenant.label}
                    autoComplete="off"
                    spellCheck={false}
                    autoCapitalize="off"
                    className="field--mono"
                    hint={provider.tenant.help}
                    error={errors.issuerUrl?.message}
                    {...form.register('issuerUrl')}
                  />
                ) : null}
                <TextField
                  label="Client ID"
                  autoComplete="off"
                  spellCheck={false}
                  autoCapitalize="off"
                  className="field--mono"
                  hint={
                    <>
                      {provider.name} calls this <em>{provider.clientIdLabel ?? 'Key'}</em>.
                    </>
                  }
                  error={errors.clientId?.message}
                  {...form.register('clientId')}
                />
                {clientIdChanged ? (
                  <div className="callout callout--warning">
                    <p>A new Client ID means a new OAuth app. {TOKENS_DELETED_WARNING}</p>
                  </div>
                ) : null}
                <PasswordField
                  label="Client Secret"
                  showLabel="Show secret"
                  hideLabel="Hide secret"
                  placeholder={
                    secretRequired ? undefined : 'unchanged — enter a new secret to replace it'
                  }
                  hint={
                    <>
                      {provider.name} calls this <em>{provider.clientSecretLabel ?? 'Secret'}</em>.{' '}
                      {isEdit && integration.secretNeedsReentry
                        ? "The runner's key changed since it was saved: enter it again."
                        : secretRequired
                          ? 'It is encrypted in this browser; only the runner can read it.'
                          : 'Leave it empty to keep the current secret unchanged; enter a new secret to replace it.'}
                    </>
                  }
                  error={errors.clientSecret?.message}
                  {...form.register('clientSecret')}
                />
              </>
            ) : null}
            {apiTokens ? (
              <Controller
                control={form.control}
                name="patEnabled"
                render={({ field }) => (
                  <Switch
                    label="Enable personal access tokens"
                    checked={field.value}
                    onCheckedChange={(checked) => {
                      field.onChange(checked);
                      if (checked || oauthEnabled) form.clearErrors('oauthEnabled');
                    }}
                    onBlur={field.onBlur}
                    ref={field.ref}
                    description={
                      errors.patEnabled?.message ?? (
                        <ApiTokenScopesHelp providerName={provider.name} apiTokens={tokenPageOnHost(apiTokens, provider.defaultHost, host)} />
                      )
                    }
                  />
                )}
              />
            ) : null}
            {turningPatOff ? <PatTurnOffWarning runnerId={runner.id} integrationId={integration.id} /> : null}

          </>
        ) : null}

        {formError ? (
          <div className="form-alert" role="alert">
            {formError}
          </div>
        ) : null}

        <DialogFooter>
          <p
            id={saveNoteId}
            className={
              blockedReason && !busy
                ? 'integration-dialog__progress integration-dialog__progress--blocked'
                : 'integration-dialog__progress'
            }
            role="status"
          >
            {sealing
              ? 'Encrypting the secret…'
              : saving
                ? `Checking the Key and Secret with ${provider?.name ?? 'the provider'}…`
                : (blockedReason ?? '')}
          </p>
          <DialogClose>
            <Button disabled={busy}>Cancel</Button>
          </DialogClose>
          <Button
            type="submit"
            form={formId}
            variant={turningOff || turningPatOff ? 'danger' : 'primary'}
            pending={busy}
            disabled={submitDisabled}
            aria-describedby={blockedReason ? saveNoteId : undefined}
          >
            {turningOff && turningPatOff
              ? 'Turn off both and save'
              : turningOff
                ? 'Turn off OAuth and save'
                : turningPatOff
                  ? 'Turn off tokens and save'
                  : 'Save'}
          </Button>
        </DialogFooter>
      </form>
      {provider?.supported ? <OAuthConsumerHelp provider={provider} host={host ?? provider.defaultHost} /> : null}
    </div>
  );
}
