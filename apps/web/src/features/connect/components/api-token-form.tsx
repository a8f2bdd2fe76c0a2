import { zodResolver } from '@hookform/resolvers/zod';
import type { SupportsPat } from '@runner-console/contracts';
import {
  findProviderModule,
  getScmProvider,
  readApiTokenInput,
  type ScmProviderId,
} from '@runner-console/scm-providers';
import { useEffect, useId, useMemo } from 'react';
import { useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { EXPIRY_WARNING_DAYS } from '../../../lib/api-token-expiry.ts';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useRevealFirstError } from '../../../lib/reveal-first-error.ts';
import {
  TokenSealError,
  tokenSealingCode,
  useConnectApiToken,
} from '../api/use-connect-api-token.ts';

const FIELDS = ['email', 'token', 'expiresOn'] as const;
const DAY = 86_400_000;

/** The fields a provider's token form has (its module's token rules): the account e-mail and the expiry, where the provider does not say them itself. */
function tokenFieldsOf(providerId: ScmProviderId): { email: boolean; expiry: boolean } {
  const rules = findProviderModule(providerId)?.tokenInput;
  return { email: rules?.needsEmail ?? false, expiry: rules?.needsExpiry ?? false };
}

/** The same checks the runner makes, so a slip is caught before anything is sealed or sent. */
const apiTokenFormSchemaFor = (providerId: ScmProviderId) =>
  z.object({ email: z.string(), token: z.string(), expiresOn: z.string() }).check(
    z.superRefine((values, ctx) => {
      const check = readApiTokenInput(providerId, values);
      if (!check.ok) ctx.addIssue({ code: 'custom', path: [check.field], message: check.message });
      if (!tokenFieldsOf(providerId).expiry) return;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.expiresOn)) {
        ctx.addIssue({
          code: 'custom',
          path: ['expiresOn'],
          message: 'Enter the expiry date you chose for the token.',
        });
      } else if (Date.parse(`${values.expiresOn}T23:59:59.999Z`) <= Date.now()) {
        ctx.addIssue({
          code: 'custom',
          path: ['expiresOn'],
          message: 'That date has passed, so the token no longer works. Create a new one.',
        });
      }
    }),
  );
type ApiTokenFormValues = z.infer<ReturnType<typeof apiTokenFormSchemaFor>>;

/**
 * "Use an API token instead": the account e-mail and expiry date where the provider asks, the token, with the
 * exact scopes to tick and where to create the token. The token is sealed in this browser.
 */
export function ApiTokenForm({
  runnerId,
  host,
  supportsPat,
  providerId,
  providerName,
  reason,
  onConnected,
  onCancel,
  focusOnOpen = false,
}: {
  runnerId: string;
  host: string;
  supportsPat: SupportsPat;
  providerId: ScmProviderId;
  providerName: string;
  /** Why a token must be entered again (expired or revoked), shown at the top. */
  reason: string | null;
  onConnected: (message: string) => void;
  /** Present when Connect (OAuth) is offered too: back to it. */
  onCancel?: (() => void) | undefined;
  /** Opened by "Use an API token instead": the button is gone, so focus moves to the first field. */
  focusOnOpen?: boolean;
}) {
  const headingId = useId();
  const scopesId = useId();
  const connect = useConnectApiToken({ runnerId, host, supportsPat });
  const resolver = useMemo(() => zodResolver(apiTokenFormSchemaFor(providerId)), [providerId]);
  const fields = tokenFieldsOf(providerId);
  // What the provider calls its tokens and their account e-mail field (its catalogue entry).
  const tokenLabel = getScmProvider(providerId).apiTokens?.label ?? 'API token';
  const emailLabel = getScmProvider(providerId).apiTokens?.accountEmailLabel ?? 'Account e-mail';
  const article = /^[aeiou]/i.test(tokenLabel) ? 'an' : 'a';
  // The article goes with the word it stands before: "an Azure DevOps token", "a Bitbucket API token".
  const providerArticle = /^[aeiou]/i.test(providerName) ? 'an' : 'a';
  const form = useForm<ApiTokenFormValues>({
    resolver,
    mode: 'onTouched',
    shouldFocusError: false,
    defaultValues: { email: '', token: '', expiresOn: '' },
  });
  const { containerRef: fieldsRef, reveal: revealFirstError } =
    useRevealFirstError<HTMLDivElement>();
  const { errors } = form.formState;
  useEffect(() => tokenSealingCode.preload(), []);
  // When the form opens; later focus is the person's (focusOnOpen does not change while it is open).
  useEffect(() => {
    if (focusOnOpen) form.setFocus(fields.email ? 'email' : 'token');
  }, [focusOnOpen, form, fields.email]);

  const reasons = new Map(
    (getScmProvider(providerId).apiTokens?.requiredScopes ?? []).map((s) => [s.scope, s]),
  );
  const today = Date.now();
  const minDate = new Date(today).toISOString().slice(0, 10);
  const maxDate = new Date(today + supportsPat.maxLifetimeDays * DAY).toISOString().slice(0, 10);

  const onSubmit = form.handleSubmit((values) => {
    const check = readApiTokenInput(providerId, values);
    if (!check.ok) return;
    connect.mutate(
      {
        email: fields.email ? (check.email ?? '') : null,
        token: check.token,
        expiresOn: fields.expiry ? values.expiresOn : null,
      },
      {
        onSuccess: (result) => {
          form.reset();
          onConnected(result.message);
        },
        onError: (error) => {
          // Nothing of the token is kept in the form after a refusal: paste it again, or a new one.
          form.resetField('token');
          if (error instanceof TokenSealError) {
            form.setError('token', { message: error.message });
            revealFirstError();
            return;
          }
          let fieldErrors = false;
          if (isApiRequestError(error)) {
            for (const name of FIELDS) {
              const message = error.fields[name];
              if (!message) continue;
              form.setError(name, { message });
              fieldErrors = true;
            }
          }
          if (fieldErrors) revealFirstError();
          else form.setError('root', { message: error.message });
        },
      },
    );
  }, revealFirstError);

  return (
    <section className="api-token-form" aria-labelledby={headingId}>
      <h3 id={headingId} className="authorize-panel__title">
        Connect with {providerArticle} {providerName} {tokenLabel}
      </h3>
      {reason ? (
        <div className="callout callout--warning">
          <p className="callout__title">
            Your {providerName} {tokenLabel} must be entered again.
          </p>
          <p>{reason}</p>
        </div>
      ) : null}
      <ol className="api-token-form__steps">
        <li>
          <a href={supportsPat.createUrl} target="_blank" rel="noopener noreferrer">
            Create {article} {tokenLabel}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>{' '}
          {/* Providers whose REST API takes the e-mail offer tokens with and without scopes there. */}
          {fields.email ? (
            <>
              with <strong>Create API token with scopes</strong>,{' '}
            </>
          ) : null}
          for {providerName}.{' '}
          <a href={supportsPat.docsUrl} target="_blank" rel="noopener noreferrer">
            How to create one
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </li>
        <li>
          <span id={scopesId}>Tick exactly these scopes:</span>
          <ul className="scope-list" aria-labelledby={scopesId}>
            {supportsPat.requiredScopes.map((scope) => (
              <li key={scope}>
                <code>{scope}</code>
                {reasons.get(scope) ? (
                  <span className="muted">
                    {' '}
                    — {reasons.get(scope)?.checkbox}: {reasons.get(scope)?.reason}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </li>
        <li>
          {fields.expiry
            ? `Choose an expiry date at most ${supportsPat.maxLifetimeDays} days ahead; a shorter one is safer. `
            : `Give it an expiry date; ${providerName} tells Runner Console when it ends. `}
          Runner Console flags the connection {EXPIRY_WARNING_DAYS} days before it expires.
        </li>
      </ol>
      {/* Not a <form>: this panel sits inside New environment's form, and forms do not nest. Enter
          in a field submits this panel only. */}
      <div
        ref={fieldsRef}
        className="form"
        role="group"
        aria-labelledby={headingId}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || !(event.target instanceof HTMLInputElement)) return;
          event.preventDefault();
          void onSubmit();
        }}
      >
        {fields.email ? (
          <TextField
            label={emailLabel}
            type="email"
            autoComplete="email"
            spellCheck={false}
            hint={`The e-mail you sign in to ${providerName} with: the REST API takes it with the token.`}
            error={errors.email?.message}
            {...form.register('email')}
          />
        ) : null}
        <PasswordField
          label={tokenLabel.charAt(0).toUpperCase() + tokenLabel.slice(1)}
          showLabel="Show token"
          hideLabel="Hide token"
          autoComplete="off"
          spellCheck={false}
          className="field--mono"
          hint="It is encrypted in this browser; only the runner can read it."
          error={errors.token?.message}
          {...form.register('token')}
        />
        {fields.expiry ? (
          <TextField
            label="Expiry date"
            type="date"
            min={minDate}
            max={maxDate}
            hint="The date you chose when you created the token."
            error={errors.expiresOn?.message}
            {...form.register('expiresOn')}
          />
        ) : null}
        {errors.root?.message ? (
          <div className="form-alert" role="alert">
            {errors.root.message}
          </div>
        ) : null}
        <div className="authorize-panel__actions">
          <p role="status" className="muted">
            {connect.isPending ? `Checking the token with ${providerName}…` : ''}
          </p>
          {onCancel ? (
            <Button variant="secondary" onClick={onCancel} disabled={connect.isPending}>
              Use Connect instead
            </Button>
          ) : null}
          <Button variant="primary" pending={connect.isPending} onClick={() => void onSubmit()}>
            Connect with token
          </Button>
        </div>
      </div>
    </section>
  );
}
