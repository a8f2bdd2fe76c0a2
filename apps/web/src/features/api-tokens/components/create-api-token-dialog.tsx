import { zodResolver } from '@hookform/resolvers/zod';
import { CreateConsoleApiTokenRequest, consoleApiTokenMaxDays } from '@runner-console/contracts';
import type { CreateConsoleApiTokenResponse } from '@runner-console/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '../../../components/ui/dialog.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { formatDate } from '../../../lib/format-time.ts';
import { useCreateApiToken } from '../api/use-api-token-mutations.ts';

const TITLE = 'Create API token';
const expiryChoices = [7, 30, 90, 180, consoleApiTokenMaxDays] as const;

/**
 * Holds the dialog's open state around the page, so its trigger can move (from the empty state to
 * the header once the first token exists) while the dialog, showing that token, stays open.
 */
export function CreateApiTokenDialog({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {children}
      {/* Mounted only while open: closing forgets the token, which is shown once. */}
      {open ? <CreateApiTokenContent /> : null}
    </Dialog>
  );
}

export function CreateApiTokenButton() {
  return (
    <DialogTrigger>
      <Button variant="primary">{TITLE}</Button>
    </DialogTrigger>
  );
}

const FormSchema = z.object({
  name: CreateConsoleApiTokenRequest.shape.name,
  expiresInDays: z.string(),
});

function CreateApiTokenContent() {
  const create = useCreateApiToken();
  const created = create.data;
  const [warnedOnClose, setWarnedOnClose] = useState(false);
  return (
    <DialogContent
      title={created ? 'Copy your API token' : TITLE}
      description={
        created
          ? `“${created.token.name}” is ready. Automation sends it as Authorization: Bearer on any /api call.`
          : 'Automation such as CI or Terraform uses the token to call the API with your role in this organization.'
      }
      dismissible={!create.isPending}
      closeOnOutsideClick={!created}
      onCloseRequest={
        created
          ? () => {
              if (warnedOnClose) return true;
              setWarnedOnClose(true);
              return false;
            }
          : undefined
      }
    >
      {created ? <ShowToken created={created} warnedOnClose={warnedOnClose} /> : <CreateForm create={create} />}
    </DialogContent>
  );
}

function CreateForm({ create }: { create: ReturnType<typeof useCreateApiToken> }) {
  const selectId = useId();
  const form = useForm({
    resolver: zodResolver(FormSchema),
    mode: 'onTouched',
    defaultValues: { name: '', expiresInDays: '90' },
  });
  const { errors } = form.formState;
  const onSubmit = form.handleSubmit((values) => {
    if (create.isPending) return;
    create.mutate(
      { name: values.name, expiresInDays: Number(values.expiresInDays) },
      {
        onError: (error) => {
          if (isApiRequestError(error) && error.fields.name) form.setError('name', { message: error.fields.name });
        },
      },
    );
  });
  const error = create.error;
  const formError = error && !(isApiRequestError(error) && error.fields.name) ? error.message : null;

  return (
    <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Name"
        autoComplete="off"
        hint="What uses it, for example “CI pipeline” or “Terraform”. The audit log shows this name."
        error={errors.name?.message}
        {...form.register('name')}
      />
      <div className="field">
        <label className="field__label" htmlFor={selectId}>
          Expires
        </label>
        <p className="field__hint" id={`${selectId}-hint`}>
          At most a year. Make a new token before this one expires.
        </p>
        <select id={selectId} className="select" aria-describedby={`${selectId}-hint`} {...form.register('expiresInDays')}>
          {expiryChoices.map((days) => (
            <option key={days} value={String(days)}>
              {days === consoleApiTokenMaxDays ? 'In 1 year' : `In ${days} days`} (
              {formatDate(new Date(Date.now() + days * 86_400_000).toISOString())})
            </option>
          ))}
        </select>
      </div>
      {formError ? (
        <div className="form-alert" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="dialog__actions">
        <DialogClose>
          <Button disabled={create.isPending}>Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary" pending={create.isPending}>
          Create token
        </Button>
      </div>
    </form>
  );
}

function ShowToken({ created, warnedOnClose }: { created: CreateConsoleApiTokenResponse; warnedOnClose: boolean }) {
  const warningRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => warningRef.current?.focus(), []);
  const example = `curl -H "Authorization: Bearer ${created.secret}" ${window.location.origin}/api/runners`;
  return (
    <div className="form">
      <div className="callout callout--warning" role={warnedOnClose ? 'alert' : undefined}>
        <p className="callout__title" ref={warningRef} tabIndex={-1}>
          {warnedOnClose ? 'Close without copying? The token cannot be shown again.' : 'This token is shown only once.'}
        </p>
        <p>Copy it into your CI or Terraform secrets now. Runner Console keeps only a hash of it.</p>
      </div>
      <CopyField label="API token" value={created.secret} />
      <CopyField label="Try it" value={example} multiline />
      <p className="muted">Expires {formatDate(created.token.expiresAt)}. Revoke it here at any time.</p>
      <div className="dialog__actions">
        <DialogClose>
          <Button variant="primary">Done</Button>
        </DialogClose>
      </div>
    </div>
  );
}
