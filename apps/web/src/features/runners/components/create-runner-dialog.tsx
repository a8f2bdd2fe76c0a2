import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { CreateRunnerRequest, RunnerPublicUrl } from '@runner-console/contracts';
import type { CreateRunnerResponse, Runner } from '@runner-console/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogTrigger,
} from '../../../components/ui/dialog.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useRevealFirstError } from '../../../lib/reveal-first-error.ts';
import { useCreateRunner } from '../api/use-create-runner.ts';
import { runnerManagementQueries } from '../api/use-runner-management.ts';
import { runnerQueries } from '../api/runner-queries.ts';
import { StartCommandSteps } from './start-command-steps.tsx';
import '../../../styles/runners.css';

const TITLE = 'Set up a new runner';

/** The set-up's last step comes from the SCM integrations feature; the composition root passes it. */
export type ConfigureAccessStep = (props: {
  runner: Runner;
  onDone: () => void;
  onPendingChange: (pending: boolean) => void;
}) => ReactNode;

/**
 * Holds the dialog's open state around the page, so the trigger (`CreateRunnerButton`) can move,
 * e.g. from the empty state to the page header once the first runner exists, while the dialog
 * stays open and focus still returns to whichever trigger is on the page.
 */
export function CreateRunnerDialog({
  children,
  configureAccess,
}: {
  children: ReactNode;
  configureAccess?: ConfigureAccessStep | undefined;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      {children}
      {open ? (
        <CreateRunnerDialogContent configureAccess={configureAccess} onClose={() => setOpen(false)} />
      ) : null}
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

type Step = 'details' | 'start' | 'access';

function CreateRunnerDialogContent({
  configureAccess,
  onClose,
}: {
  configureAccess?: ConfigureAccessStep | undefined;
  onClose: () => void;
}) {
  // Mounted only while open: closing forgets the form, the mutation and the token with it. The
  // runner itself stays, and can be finished from its page.
  const createRunner = useCreateRunner();
  const created = createRunner.data;
  const [step, setStep] = useState<Step>('details');
  const [accessPending, setAccessPending] = useState(false);
  const navigate = useNavigate();
  const current = step === 'details' && created ? 'start' : step;

  const goToRunner = useCallback(
    (runnerId: string) => {
      onClose();
      void navigate(`/settings/runners/${runnerId}`);
    },
    [navigate, onClose],
  );

  const descriptions: Record<Step, string> = {
    details:
      'Name the runner after where it runs, and give the URL where developers’ browsers will reach it. Next you get the command that starts it.',
    start: created
      ? `“${created.runner.name}” is set up. Start it on its machine with the command below; it connects out to Runner Console.`
      : '',
    access: created
      ? `“${created.runner.name}” is active. Add the provider its developers use, so they can open repositories on it.`
      : '',
  };
  // Escape or × on the one-time token warns once; a second one (or Done) closes.
  const [warnedOnClose, setWarnedOnClose] = useState(false);

  return (
    <DialogContent
      title={current === 'access' ? 'Configure repository access' : TITLE}
      description={descriptions[current]}
      size={current === 'access' ? 'wide' : 'default'}
      dismissible={!createRunner.isPending && !accessPending}
      // Closing by a stray click would lose the one-time token, or what was typed.
      closeOnOutsideClick={!created}
      // Only while the one-time token is on screen.
      onCloseRequest={
        created && current === 'start'
          ? () => {
              if (warnedOnClose) return true;
              setWarnedOnClose(true);
              return false;
            }
          : undefined
      }
    >
      {current === 'details' ? <CreateRunnerForm createRunner={createRunner} /> : null}
      {current === 'start' && created ? (
        <StartRunner
          result={created}
          warnedOnClose={warnedOnClose}
          canConfigureAccess={Boolean(configureAccess)}
          onConfigureAccess={() => setStep('access')}
          onFinish={() => goToRunner(created.runner.id)}
        />
      ) : null}
      {current === 'access' && created && configureAccess ? (
        <AccessStep
          runnerId={created.runner.id}
          fallback={created.runner}
          configureAccess={configureAccess}
          onPendingChange={setAccessPending}
          onDone={() => goToRunner(created.runner.id)}
        />
      ) : null}
    </DialogContent>
  );
}

const CreateRunnerForm_Schema = z.object({
  name: CreateRunnerRequest.shape.name,
  publicUrl: RunnerPublicUrl,
});

function CreateRunnerForm({ createRunner }: { createRunner: ReturnType<typeof useCreateRunner> }) {
  const suggestion = useQuery(runnerManagementQueries.suggestedPublicUrl());
  const form = useForm({
    resolver: zodResolver(CreateRunnerForm_Schema),
    mode: 'onTouched',
    shouldFocusError: false,
    defaultValues: { name: '', publicUrl: '' },
  });
  const { containerRef: formRef, reveal: revealFirstError } = useRevealFirstError<HTMLFormElement>();
  const { errors } = form.formState;

  // Suggest a URL for a runner on this machine, unless the admin already typed one.
  const suggested = suggestion.data?.publicUrl;
  useEffect(() => {
    if (suggested && !form.getValues('publicUrl')) form.setValue('publicUrl', suggested);
  }, [suggested, form]);

  const onSubmit = form.handleSubmit((values) => {
    if (createRunner.isPending) return;
    createRunner.mutate(values, {
      onError: (error) => {
        if (!isApiRequestError(error)) return;
        for (const field of ['name', 'publicUrl'] as const) {
          const message = error.fields[field];
          if (message) form.setError(field, { message });
        }
        if (error.fields.name || error.fields.publicUrl) revealFirstError();
      },
    });
  }, revealFirstError);

  const error = createRunner.error;
  const formError =
    error && !(isApiRequestError(error) && (error.fields.name || error.fields.publicUrl))
      ? error.message
      : null;

  return (
    <form ref={formRef} className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Name"
        autoComplete="off"
        hint="For example “Build server Berlin”. Up to 80 characters."
        error={errors.name?.message}
        {...form.register('name')}
      />
      <TextField
        label="Public URL"
        autoComplete="off"
        inputMode="url"
        spellCheck={false}
        hint={
          suggested
            ? `Where developers’ browsers reach the runner for the OAuth callback, for example https://runner.acme.internal. ${suggested} is a free port on this machine, for a runner started here. It cannot change later without updating the OAuth consumers.`
            : 'Where developers’ browsers reach the runner for the OAuth callback, for example https://runner.acme.internal. It cannot change later without updating the OAuth consumers.'
        }
        error={errors.publicUrl?.message}
        {...form.register('publicUrl')}
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

/** After this long without a connection, the checklist opens by itself. */
const TROUBLESHOOT_AFTER_MS = 30_000;

function StartRunner({
  result,
  warnedOnClose,
  canConfigureAccess,
  onConfigureAccess,
  onFinish,
}: {
  result: CreateRunnerResponse;
  warnedOnClose: boolean;
  canConfigureAccess: boolean;
  onConfigureAccess: () => void;
  onFinish: () => void;
}) {
  const warningRef = useRef<HTMLParagraphElement>(null);
  const nextRef = useRef<HTMLButtonElement>(null);
  // The runner as server events keep it (runner-live-updates writes into this entry).
  const live = useQuery({ ...runnerQueries.detail(result.runner.id), initialData: result.runner });
  const runner = live.data;
  const connected = runner.phase === 'active' || runner.phase === 'degraded';
  const [since] = useState(() => Date.now());
  const [connectedAt, setConnectedAt] = useState<number | null>(null);
  const now = useNow();

  // The form (and the focused Create button) is gone: lead the person to what matters now.
  useEffect(() => {
    warningRef.current?.focus();
  }, []);
  useEffect(() => {
    if (connected && connectedAt === null) setConnectedAt(Date.now());
  }, [connected, connectedAt]);
  useEffect(() => {
    if (connectedAt !== null) nextRef.current?.focus();
  }, [connectedAt]);

  const waitedMs = Math.max(0, (connectedAt ?? now) - since);
  const waited = formatWait(waitedMs);

  return (
    <div className="form">
      <div className="callout callout--warning">
        <p className="callout__title" ref={warningRef} tabIndex={-1}>
          This token is shown only once.
        </p>
        <p>
          Copy it now, or start the runner with the command below, which asks for it. Runner
          Console keeps only a hash of it.
        </p>
      </div>
      <StartCommandSteps startCommand={result.startCommand} runnerToken={result.runnerToken} />
      <p className="muted">
        Running the command again (with the token) restarts the runner with the same data, key and
        URL.
      </p>

      {connected ? (
        <div className="callout callout--success" role="status">
          <p className="callout__title">
            {runner.name} connected after {waited}.
          </p>
          <p>
            Version {runner.version ?? 'unknown'}, public URL {runner.publicUrl ?? 'not reported'}.
          </p>
        </div>
      ) : (
        <div className="setup-wait">
          <p role="status" aria-live="polite" className="setup-wait__status">
            <span className="spinner" aria-hidden="true" /> Waiting for the runner’s first
            connection… <span className="muted">({waited})</span>
          </p>
          <details open={waitedMs >= TROUBLESHOOT_AFTER_MS}>
            <summary>Nothing happens?</summary>
            <ul>
              <li>Check the command’s output on the runner’s machine: it says what went wrong.</li>
              <li>
                The runner’s machine must reach <code>{window.location.origin}</code> (outbound
                HTTP and WebSocket; no inbound port is needed for this).
              </li>
              <li>
                “runner.mjs: FAILED”: the file downloaded is not the one this command was made for
                (changed or cut off on the way, or the server was updated since). Nothing was run.
                Set the runner up again from its page (New token) for a current command.
              </li>
              <li>
                “The BFF refused the runner token”: the token was mistyped or replaced. Get a new
                one on the runner’s page.
              </li>
              <li>
                “EADDRINUSE”: another program uses the runner’s port. Stop it, or set the runner up
                with another public URL.
              </li>
            </ul>
          </details>
        </div>
      )}

      {warnedOnClose ? (
        <div className="form-alert" role="alert">
          Close without the token? It is shown only once. Copy it first, or press Escape again to
          close.
        </div>
      ) : null}
      <div className="dialog__actions">
        {connected && canConfigureAccess ? (
          <>
            <Button onClick={onFinish}>Later</Button>
            <Button ref={nextRef} variant="primary" onClick={onConfigureAccess}>
              Configure repository access
            </Button>
          </>
        ) : (
          <Button ref={connected ? nextRef : undefined} variant={connected ? 'primary' : 'secondary'} onClick={onFinish}>
            {connected ? 'Go to the runner' : 'Finish later'}
          </Button>
        )}
      </div>
    </div>
  );
}

function AccessStep({
  runnerId,
  fallback,
  configureAccess,
  onPendingChange,
  onDone,
}: {
  runnerId: string;
  fallback: Runner;
  configureAccess: ConfigureAccessStep;
  onPendingChange: (pending: boolean) => void;
  onDone: () => void;
}) {
  const live = useQuery({ ...runnerQueries.detail(runnerId), initialData: fallback });
  return <>{configureAccess({ runner: live.data, onDone, onPendingChange })}</>;
}

function formatWait(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
