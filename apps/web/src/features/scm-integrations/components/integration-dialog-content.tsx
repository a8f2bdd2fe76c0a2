import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { useEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { Dialog, DialogClose, DialogContent, DialogFooter } from '../../../components/ui/dialog.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import { editIntegrationDialogText } from '../integration-labels.ts';
import { IntegrationForm } from './integration-form.tsx';
import { RunnerStartHint } from './runner-start-hint.tsx';

export interface IntegrationDialogProps {
  runner: Runner;
  /** Present when editing. */
  integration?: ScmIntegration | undefined;
  title: string;
  description: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The id the trigger names in aria-controls. */
  contentId: string;
  /** The button that opened the dialog: focus goes back to it on close. */
  triggerRef: RefObject<HTMLButtonElement | null>;
}

/**
 * The Add / Edit modal itself (the dialog and the form), loaded on demand by the buttons in
 * integration-dialog.tsx.
 */
export function IntegrationDialog({ open, onOpenChange, ...content }: IntegrationDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      {/* Mounted only while open: closing forgets the form, and the plaintext secret with it. */}
      {open ? <IntegrationDialogContent {...content} onDone={() => onOpenChange(false)} /> : null}
    </Dialog>
  );
}

function IntegrationDialogContent({
  runner,
  integration,
  title,
  description,
  contentId,
  triggerRef,
  onDone,
}: Omit<IntegrationDialogProps, 'open' | 'onOpenChange'> & { onDone: () => void }) {
  const queryClient = useQueryClient();
  const schema = useQuery(scmIntegrationQueries.configurationSchema(runner.id));
  const [pending, setPending] = useState(false);
  // "Edit the Bitbucket integration" from the picker turns this Add dialog into that integration's Edit.
  const [editing, setEditing] = useState(integration);
  const text = editing && editing !== integration ? editIntegrationDialogText(editing) : { title, description };
  // Escape, × or a click outside would throw away a typed Key and Secret: ask first.
  const [typed, setTyped] = useState(false);
  const [confirmingDiscard, setConfirmingDiscard] = useState(false);
  const discarding = useRef(false);
  const askedFrom = useRef<HTMLElement | null>(null);

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
        key={editing?.id ?? 'new'}
        runner={runner}
        schema={schema.data}
        publicKey={schema.data.publicKey}
        integration={editing}
        onEditExisting={setEditing}
        onTypedChange={setTyped}
        onPendingChange={setPending}
        onDone={onDone}
      />
    ) : (
      <RunnerKeyMissing runner={runner} />
    );
  } else {
    body = (
      <QueryState
        query={schema}
        loading="Loading the provider settings…"
        errorTitle="The provider settings could not be loaded"
      />
    );
  }

  return (
    <DialogContent
      title={text.title}
      description={text.description}
      size="wide"
      dismissible={!pending}
      // A stray click outside would throw away what was typed, secret included.
      closeOnOutsideClick={false}
      id={contentId}
      returnFocus={() => triggerRef.current?.focus()}
      onCloseRequest={() => {
        if (!typed) return true;
        askedFrom.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setConfirmingDiscard(true);
        return false;
      }}
    >
      {body}
      <ConfirmDialog
        open={confirmingDiscard}
        onOpenChange={setConfirmingDiscard}
        title="Discard the Key and Secret you typed?"
        confirmLabel="Discard and close"
        cancelLabel="Keep editing"
        // Both dialogs close at once: whichever lets go of focus last hands it to the trigger.
        returnFocus={() => (discarding.current ? triggerRef.current : askedFrom.current)?.focus()}
        onConfirm={() => {
          discarding.current = true;
          setConfirmingDiscard(false);
          onDone();
        }}
      >
        Nothing has been saved. Closing forgets what you typed, and you would paste it again.
      </ConfirmDialog>
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
      <DialogFooter>
        <DialogClose>
          <Button variant="primary">Close</Button>
        </DialogClose>
      </DialogFooter>
    </div>
  );
}
