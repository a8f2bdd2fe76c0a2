import { zodResolver } from '@hookform/resolvers/zod';
import { SaveSsoSettingsRequest } from '@runner-console/contracts';
import type { SsoSettings } from '@runner-console/contracts';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { PasswordField } from '../../../components/ui/password-field.tsx';
import { Switch } from '../../../components/ui/switch.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useDeleteSsoSettings, useSaveSsoSettings } from '../api/sso-settings-queries.ts';
// The generic switch's styles.
import '../../../styles/scm-integrations.css';

const FormSchema = z.object({
  displayName: SaveSsoSettingsRequest.shape.displayName,
  issuerUrl: SaveSsoSettingsRequest.shape.issuerUrl,
  clientId: SaveSsoSettingsRequest.shape.clientId,
  clientSecret: z.string(),
  allowedDomains: z.string().check(z.trim(), z.minLength(1, { error: 'Add at least one e-mail domain, such as acme.com.' })),
  requireSso: z.boolean(),
});
type FormValues = z.infer<typeof FormSchema>;
const fieldNames = ['displayName', 'issuerUrl', 'clientId', 'clientSecret', 'allowedDomains'] as const;

function splitDomains(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

export function SsoSettingsForm({ settings }: { settings: SsoSettings }) {
  const save = useSaveSsoSettings();
  const toast = useToast();
  const form = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    mode: 'onTouched',
    defaultValues: {
      displayName: settings.displayName ?? '',
      issuerUrl: settings.issuerUrl ?? '',
      clientId: settings.clientId ?? '',
      clientSecret: '',
      allowedDomains: settings.allowedDomains.join(', '),
      requireSso: settings.requireSso,
    },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    if (save.isPending) return;
    if (!settings.clientSecretSet && !values.clientSecret.trim()) {
      form.setError('clientSecret', { message: 'Enter the client secret your identity provider gave this app.' });
      return;
    }
    save.mutate(
      {
        displayName: values.displayName,
        issuerUrl: values.issuerUrl,
        clientId: values.clientId,
        ...(values.clientSecret.trim() ? { clientSecret: values.clientSecret } : {}),
        allowedDomains: splitDomains(values.allowedDomains),
        requireSso: values.requireSso,
      },
      {
        onSuccess: (saved) => {
          form.reset({ ...values, clientSecret: '', allowedDomains: saved.allowedDomains.join(', ') });
          toast({ title: 'Single sign-on saved', description: `The sign-in page offers “Sign in with ${saved.displayName ?? ''}”.`, tone: 'success' });
        },
        onError: (error) => {
          if (!isApiRequestError(error)) return;
          for (const [field, message] of Object.entries(error.fields)) {
            const name = field.startsWith('allowedDomains') ? 'allowedDomains' : field;
            if ((fieldNames as readonly string[]).includes(name)) form.setError(name as (typeof fieldNames)[number], { message });
          }
        },
      },
    );
  });
  const error = save.error;
  const formError = error && !(isApiRequestError(error) && Object.keys(error.fields).length > 0) ? error.message : null;

  return (
    <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Provider name"
        autoComplete="off"
        hint="Shown on the sign-in button, as in “Sign in with Okta”."
        error={errors.displayName?.message}
        {...form.register('displayName')}
      />
      <TextField
        label="Issuer URL"
        autoComplete="off"
        inputMode="url"
        spellCheck={false}
        hint="The issuer your provider shows, like https://acme.okta.com or https://login.microsoftonline.com/<tenant>/v2.0. Runner Console reads its discovery document when you save."
        error={errors.issuerUrl?.message}
        {...form.register('issuerUrl')}
      />
      <TextField label="Client ID" autoComplete="off" spellCheck={false} error={errors.clientId?.message} {...form.register('clientId')} />
      <PasswordField
        label="Client secret"
        autoComplete="new-password"
        hint={settings.clientSecretSet ? 'A secret is saved (it is never shown). Leave this empty to keep it.' : 'Encrypted before it is stored, and never shown again.'}
        error={errors.clientSecret?.message}
        {...form.register('clientSecret')}
      />
      <TextField
        label="Allowed e-mail domains"
        autoComplete="off"
        spellCheck={false}
        hint="Comma-separated, like acme.com, acme.de. A person with a verified address in one of them who signs in for the first time becomes a member."
        error={errors.allowedDomains?.message}
        {...form.register('allowedDomains')}
      />
      <Controller
        control={form.control}
        name="requireSso"
        render={({ field }) => (
          <Switch
            label="Require single sign-on"
            description="Members can no longer sign in with a password. Admins keep their password as a way back in."
            checked={field.value}
            onCheckedChange={field.onChange}
            onBlur={field.onBlur}
            ref={field.ref}
          />
        )}
      />
      {formError ? (
        <div className="form-alert" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="form__actions">
        <Button type="submit" variant="primary" pending={save.isPending}>
          {settings.configured ? 'Save changes' : 'Save and turn on'}
        </Button>
        {settings.configured ? <TurnOffButton /> : null}
      </div>
    </form>
  );
}

function TurnOffButton() {
  const [open, setOpen] = useState(false);
  const remove = useDeleteSsoSettings();
  const toast = useToast();
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Turn off single sign-on
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title="Turn off single sign-on?"
        confirmLabel="Turn off"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              setOpen(false);
              toast({ title: 'Single sign-on is off', tone: 'success' });
            },
          })
        }
      >
        <p>
          The sign-in page no longer offers it, and the saved client secret is deleted. Members who
          joined through single sign-on have no password: an admin must reset one for them.
        </p>
      </ConfirmDialog>
    </>
  );
}
