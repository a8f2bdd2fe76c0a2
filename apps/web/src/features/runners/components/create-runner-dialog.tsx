import { zodResolver } from '@hookform/resolvers/zod';
import { CreateRunnerRequest } from '@runner-console/contracts';
import type { CreateRunnerResponse } from '@runner-console/contracts';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '../../../components/ui/button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogTrigger,
} from '../../../components/ui/dialog.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useCreateRunner } from '../api/use-create-runner.ts';

const TITLE = 'Set up a new runner';

/**
 * Holds the dialog's open state around the page, so the trigger (`CreateRunnerButton`) can move,
 * e.g. from the empty state to the page header once the first runner exists, while the dialog
 * stays open and focus still returns to whichever trigger is on the page.
 */
export function CreateRunnerDialog({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {children}
      {open ? <CreateRunnerDialogContent /> : null}
    </Dialog>
  );
}

export function CreateRunnerButton() {
  return (
    <DialogTrigger>
      <Button variant="primary">{TITLE}</Button>
    </DialogTrigger>
  );
}

function CreateRunnerDialogContent() {
  // Mounted only while open: closing forgets the form, the mutation and the token with it.
  const createRunner = useCreateRunner();
  const created = createRunner.data;
  // Escape or × on the one-time token warns once; a second one (or Done) closes.
  const [warnedOnClose, setWarnedOnClose] = useState(false);

  return (
    <DialogContent
      title={TITLE}
      description={
        created
          ? `“${created.runner.name}” is set up. Start it on a machine in your network with the command below; it connects out to Runner Console, so no inbound port is needed.`
          : 'Name the runner after where it runs. Next you get the command that starts it.'
      }
      dismissible={!createRunner.isPending}
      // Closing by a stray click would lose the one-time token.
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
      {created ? (
        <RunnerCreated result={created} warnedOnClose={warnedOnClose} />
      ) : (
        <CreateRunnerForm createRunner={createRunner} />
      )}
    </DialogContent>
  );
}

function CreateRunnerForm({ createRunner }: { createRunner: ReturnType<typeof useCreateRunner> }) {
  const form = useForm({
    resolver: zodResolver(CreateRunnerRequest),
    mode: 'onTouched',
    defaultValues: { name: '' },
  });
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit((values) => {
    if (createRunner.isPending) return;
    createRunner.mutate(values, {
      onError: (error) => {
        const message = isApiRequestError(error) ? error.fields.name : undefined;
        if (message) form.setError('name', { message }, { shouldFocus: true });
      },
    });
  });

  const error = createRunner.error;
  const formError =
    error && !(isApiRequestError(error) && error.fields.name) ? error.message : null;

  return (
    <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Name"
        autoComplete="off"
        hint="For example “Build server Berlin”. Up to 80 characters."
        error={errors.name?.message}
        {...form.register('name')}
      />
      {formError ? (
        <div className="form-alert" role="alert">
          {formError}
        </div>
      ) : null}
      <div className="dialog__actions">
        <DialogClose>
          <Button disabled={createRunner.isPending}>Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="primary" pending={createRunner.isPending}>
          Create runner
        </Button>
      </div>
    </form>
  );
}

function RunnerCreated({
  result,
  warnedOnClose,
}: {
  result: CreateRunnerResponse;
  warnedOnClose: boolean;
}) {
  const warningRef = useRef<HTMLParagraphElement>(null);

  // The form (and the focused Create button) is gone: lead the person to what matters now.
  useEffect(() => {
    warningRef.current?.focus();
  }, []);

  return (
    <div className="form">
      <div className="callout callout--warning">
        <p className="callout__title" ref={warningRef} tabIndex={-1}>
          This token is shown only once.
        </p>
        <p>
          Copy it now, or start the runner with the command below. Runner Console keeps only a hash
          of it.
        </p>
      </div>
      <CopyField label="Runner token" value={result.runnerToken} />
      <CopyField label="Start command" value={result.startCommand} multiline />
      <p className="muted">
        The runner appears as “Waiting for first connection” until it starts, then turns active.
      </p>
      {warnedOnClose ? (
        <div className="form-alert" role="alert">
          Close without the token? It is shown only once. Copy it first, or press Escape again to
          close.
        </div>
      ) : null}
      <div className="dialog__actions">
        <DialogClose>
          <Button variant="primary">Done</Button>
        </DialogClose>
      </div>
    </div>
  );
}
