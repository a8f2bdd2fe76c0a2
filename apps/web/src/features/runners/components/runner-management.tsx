import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { RunnerName, RunnerPublicUrl } from '@runner-console/contracts';
import { scmProviders } from '@runner-console/scm-providers';
import type { CreateRunnerResponse, Runner } from '@runner-console/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import * as z from 'zod/mini';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { Dialog, DialogClose, DialogContent } from '../../../components/ui/dialog.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useRevealFirstError } from '../../../lib/reveal-first-error.ts';
import {
  runnerManagementQueries,
  useDeleteRunner,
  useNewRunnerToken,
  useUpdateRunner,
} from '../api/use-runner-management.ts';
import { StartCommandSteps } from './start-command-steps.tsx';
import '../../../styles/runners.css';

/** Admins: rename, a new token (the old one stops at once), delete with everything that goes with it. */
export function RunnerManagement({ runner }: { runner: Runner }) {
  const local = runner.kind === 'local';
  return (
    <div className="runner-manage">
      <RenameRunner runner={runner} />
      {local ? null : <MovePublicUrl runner={runner} />}
      <div className="runner-manage__actions">
        <NewToken runner={runner} disabled={local} />
        <DeleteRunner runner={runner} disabled={local} />
      </div>
      {local ? (
        <p className="muted">
          The Local runner comes with <code>npm start</code>, which starts it with its own token:
          it cannot get a new token or be deleted here.
        </p>
      ) : null}
    </div>
  );
}

const RenameSchema = z.object({ name: RunnerName });

function RenameRunner({ runner }: { runner: Runner }) {
  const update = useUpdateRunner(runner.id);
  const toast = useToast();
  const form = useForm({
    resolver: zodResolver(RenameSchema),
    mode: 'onTouched',
    shouldFocusError: false,
    values: { name: runner.name },
  });
  const { containerRef: formRef, reveal: revealFirstError } = useRevealFirstError<HTMLFormElement>();
  const onSubmit = form.handleSubmit((values) => {
    if (update.isPending || values.name === runner.name) return;
    update.mutate(values, {
      onSuccess: (renamed) => toast({ title: `Renamed to “${renamed.name}”.`, tone: 'success' }),
      onError: (error) => {
        const message = isApiRequestError(error) ? (error.fields.name ?? error.message) : error.message;
        form.setError('name', { message });
        revealFirstError();
      },
    });
  }, revealFirstError);
  return (
    <form ref={formRef} className="runner-manage__row" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Runner name"
        autoComplete="off"
        error={form.formState.errors.name?.message}
        {...form.register('name')}
      />
      <Button type="submit" pending={update.isPending}>
        Rename
      </Button>
    </form>
  );
}

const PublicUrlSchema = z.object({ publicUrl: RunnerPublicUrl });

/**
 * For a runner moved on purpose (a new host name): the URL its start command pins from now on.
 * Its integrations then show "Callback URL changed" until each OAuth consumer has the new URL.
 */
function MovePublicUrl({ runner }: { runner: Runner }) {
  const update = useUpdateRunner(runner.id);
  const toast = useToast();
  const current = runner.pinnedPublicUrl ?? runner.publicUrl ?? '';
  const form = useForm({
    resolver: zodResolver(PublicUrlSchema),
    mode: 'onTouched',
    shouldFocusError: false,
    values: { publicUrl: current },
  });
  const { containerRef: formRef, reveal: revealFirstError } = useRevealFirstError<HTMLFormElement>();
  const onSubmit = form.handleSubmit((values) => {
    if (update.isPending || values.publicUrl.replace(/\/+$/, '') === current) return;
    update.mutate(values, {
      onSuccess: (moved) =>
        toast({
          title: `The public URL is now ${moved.pinnedPublicUrl ?? values.publicUrl}.`,
          description: 'Start the runner with it (New token gives the command), and paste the new callback URL into each OAuth consumer.',
          tone: 'success',
        }),
      onError: (error) => {
        const message = isApiRequestError(error) ? (error.fields.publicUrl ?? error.message) : error.message;
        form.setError('publicUrl', { message });
        revealFirstError();
      },
    });
  }, revealFirstError);
  return (
    <form ref={formRef} className="runner-manage__row" noValidate onSubmit={(event) => void onSubmit(event)}>
      <TextField
        label="Public URL"
        autoComplete="off"
        inputMode="url"
        spellCheck={false}
        hint="Fixed at set-up: OAuth consumers have its callback URL. Change it only when the runner moves."
        error={form.formState.errors.publicUrl?.message}
        {...form.register('publicUrl')}
      />
      <Button type="submit" pending={update.isPending}>
        Change URL
      </Button>
    </form>
  );
}

function NewToken({ runner, disabled }: { runner: Runner; disabled: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const [issued, setIssued] = useState<CreateRunnerResponse | null>(null);
  const newToken = useNewRunnerToken(runner.id);
  const online = runner.phase === 'active' || runner.phase === 'degraded';
  return (
    <>
      <Button
        disabled={disabled}
        onClick={() => {
          // Each opening is a new intent: a new token, not the one made last time.
          newToken.newIntent();
          setConfirming(true);
        }}
      >
        New token
      </Button>
      <ConfirmDialog
        open={confirming}
        onOpenChange={(next) => {
          setConfirming(next);
          if (!next) newToken.reset();
        }}
        title="Make a new runner token?"
        confirmLabel="Make a new token"
        pending={newToken.isPending}
        error={newToken.error?.message}
        onConfirm={() =>
          newToken.mutate(undefined, {
            onSuccess: (result) => {
              setConfirming(false);
              setIssued(result);
            },
          })
        }
      >
        <p>
          The current token stops working at once.{' '}
          {online
            ? `${runner.name} is connected: it is disconnected now and logs why. Start it again with the new command.`
            : `Start ${runner.name} with the new command.`}
        </p>
      </ConfirmDialog>
      <Dialog
        open={issued !== null}
        onOpenChange={(open) => {
          if (!open) setIssued(null);
        }}
      >
        {issued ? (
          <DialogContent
            title="New runner token"
            description={`Start ${runner.name} with this command on its machine, in the folder it runs from, and paste the new token when it asks.`}
            closeOnOutsideClick={false}
          >
            <div className="form">
              <div className="callout callout--warning">
                <p className="callout__title">This token is shown only once.</p>
                <p>The old token no longer works.</p>
              </div>
              <StartCommandSteps startCommand={issued.startCommand} runnerToken={issued.runnerToken} />
              <div className="dialog__actions">
                <DialogClose>
                  <Button variant="primary">Done</Button>
                </DialogClose>
              </div>
            </div>
          </DialogContent>
        ) : null}
      </Dialog>
    </>
  );
}

function DeleteRunner({ runner, disabled }: { runner: Runner; disabled: boolean }) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteRunner(runner.id);
  const impact = useQuery({ ...runnerManagementQueries.deletionImpact(runner.id), enabled: open });
  const toast = useToast();
  const navigate = useNavigate();
  const i = impact.data;
  return (
    <>
      <Button variant="danger" disabled={disabled} onClick={() => setOpen(true)}>
        Delete runner
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) remove.reset();
        }}
        title={`Delete ${runner.name}?`}
        confirmLabel="Delete runner"
        pending={remove.isPending}
        error={remove.error?.message ?? (impact.isError ? impact.error.message : null)}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: (result) => {
              setOpen(false);
              toast({
                title: result ? `${runner.name} deleted.` : `${runner.name} was already deleted.`,
                description: !result
                  ? 'Someone (or another tab) deleted it first.'
                  : result.runnerErased
                    ? `The runner erased ${result.erasedTokens ?? 0} developer token(s) and ${result.erasedWorkspaces ?? 0} workspace(s) and stopped.`
                    : 'The runner was offline: remove its data folder on its machine.',
                tone: 'success',
              });
              void navigate('/settings/runners');
            },
          })
        }
      >
        <p>This cannot be undone. With the runner go:</p>
        {i ? (
          <ul className="delete-impact">
            <li>
              {i.integrations.length === 0
                ? 'no integrations'
                : `its ${i.integrations.length === 1 ? 'integration' : `${i.integrations.length} integrations`}: ${i.integrations.map((x) => `${providerName(x.provider)} (${x.host})`).join(', ')}`}
            </li>
            <li>
              {i.developerTokens === null
                ? 'the developers’ tokens it holds. It is offline, so it cannot count or erase them: remove its data folder on its machine afterwards'
                : i.developerTokens === 0
                  ? 'no developer tokens'
                  : `${i.developerTokens === 1 ? 'the one developer token' : `the ${i.developerTokens} developer tokens`} it holds`}
            </li>
            <li>
              {i.environments === 0 ? 'no environments' : i.environments === 1 ? 'its environment' : `its ${i.environments} environments`}
              {i.runnerOnline && i.environments > 0 ? (i.environments === 1 ? ', with its workspace folder' : ', with their workspace folders') : ''}
            </li>
          </ul>
        ) : (
          <p role="status">Counting what goes with it…</p>
        )}
        {i?.runnerOnline ? <p>The runner is told to erase them, then it stops.</p> : null}
      </ConfirmDialog>
    </>
  );
}

/** "Bitbucket", not the id "bitbucket", in what the admin reads. */
function providerName(id: string): string {
  return scmProviders.find((p) => p.id === id)?.name ?? id;
}
