import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { useEffect, useState } from 'react';
import type { ReactNode, Ref } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogTrigger,
} from '../../../components/ui/dialog.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import { IntegrationForm } from './integration-form.tsx';
import { integrationName } from './provider-icon.tsx';
import { RunnerStartHint } from './runner-start-hint.tsx';

export const ADD_PROVIDER_TITLE = 'Add a new provider';

/** "Add a new provider": the button and the modal it opens; focus returns to the button on close. */
export function AddProviderDialog({
  runner,
  triggerRef,
}: {
  runner: Runner;
  triggerRef?: Ref<HTMLButtonElement>;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="primary" ref={triggerRef}>
          {ADD_PROVIDER_TITLE}
        </Button>
      </DialogTrigger>
      {/* Mounted only while open: closing forgets the form, and the plaintext secret with it. */}
      {open ? (
        <IntegrationDialogContent
          runner={runner}
          title={ADD_PROVIDER_TITLE}
          description="Give this runner access to your repositories through an OAuth app, so developers can connect their accounts."
          onDone={() => setOpen(false)}
        />
      ) : null}
    </Dialog>
  );
}

/** The row's "Edit" button and the same modal, filled with the integration (secret left empty). */
export function EditIntegrationDialog({
  runner,
  integration,
}: {
  runner: Runner;
  integration: ScmIntegration;
}) {
  const [open, setOpen] = useState(false);
  const name = integrationName(integration);
  const providerName = name.slice(0, name.indexOf(' ('));
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          Edit<span className="visually-hidden"> {name}</span>
        </Button>
      </DialogTrigger>
      {open ? (
        <IntegrationDialogContent
          runner={runner}
          integration={integration}
          title={`Edit ${providerName} integration`}
          description={`Change the OAuth app this runner uses for ${name}.`}
          onDone={() => setOpen(false)}
        />
      ) : null}
    </Dialog>
  );
}

function IntegrationDialogContent({
  runner,
  integration,
  title,
  description,
  onDone,
}: {
  runner: Runner;
  integration?: ScmIntegration;
  title: string;
  description: string;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const schema = useQuery(scmIntegrationQueries.configurationSchema(runner.id));
  const [pending, setPending] = useState(false);

  // The runner registered a new key while the dialog was open: seal to that one, not the old.
  const liveKid = runner.publicKey?.kid ?? null;
  const schemaKid = schema.data?.publicKey?.kid ?? null;
  useEffect(() => {
    if (schema.data && liveKid !== schemaKid) {
      void queryClient.invalidateQueries({
        queryKey: scmIntegrationQueries.configurationSchema(runner.id).queryKey,
      });
    }
  }, [liveKid, schemaKid, schema.data, queryClient, runner.id]);

  let body: ReactNode;
  if (schema.data) {
    body = schema.data.publicKey ? (
      <IntegrationForm
        runner={runner}
        schema={schema.data}
        publicKey={schema.data.publicKey}
        integration={integration}
        onPendingChange={setPending}
        onDone={onDone}
      />
    ) : (
      <RunnerKeyMissing runner={runner} />
    );
  } else if (schema.isError) {
    body = (
      <ErrorPanel
        title="The provider settings could not be loaded"
        message={schema.error.message}
        onRetry={() => void schema.refetch()}
        retrying={schema.isFetching}
      />
    );
  } else {
    body = <LoadingStatus>Loading the provider settings…</LoadingStatus>;
  }

  return (
    <DialogContent
      title={title}
      description={description}
      size="wide"
      dismissible={!pending}
      // A stray click outside would throw away what was typed, secret included.
      closeOnOutsideClick={false}
    >
      {body}
    </DialogContent>
  );
}

/** Instead of the form: a runner without a registered key cannot receive a secret at all. */
function RunnerKeyMissing({ runner }: { runner: Runner }) {
  return (
    <div className="form">
      <div className="callout callout--warning">
        <p className="callout__title">
          This runner has not registered its key yet, so it cannot receive secrets.
        </p>
        <p>
          A runner creates its key pair when it first starts and registers the public key with
          Runner Console. Secrets are encrypted to that key.
        </p>
        <RunnerStartHint runner={runner} />
      </div>
      <div className="dialog__actions">
        <DialogClose asChild>
          <Button variant="primary">Close</Button>
        </DialogClose>
      </div>
    </div>
  );
}
