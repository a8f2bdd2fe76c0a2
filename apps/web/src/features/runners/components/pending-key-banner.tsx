import type { Runner } from '@runner-console/contracts';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useAcceptRunnerKey } from '../api/use-accept-runner-key.ts';

const ADVICE =
  'If you did not reinstall this runner or move its data folder, replace its token instead (“New token” below): someone else may hold it.';

/**
 * A connection with this runner's token presented another key than the pinned one, and was refused.
 * Admins may accept that key after comparing both key ids; everyone else is told an admin decides.
 */
export function PendingKeyBanner({ runner, canManage }: { runner: Runner; canManage: boolean }) {
  // The key ids the admin is shown when the dialog opens are the ones accepted, even if a live
  // update changes the runner meanwhile (the BFF then refuses, and nothing changes).
  const [confirming, setConfirming] = useState<{ pinnedKid: string; presentedKid: string } | null>(null);
  const accept = useAcceptRunnerKey(runner.id);
  const toast = useToast();
  const pending = runner.pendingKey;
  if (!pending) return null;
  const pinnedKid = runner.publicKey?.kid ?? 'none';

  return (
    <div className="callout callout--danger pending-key" role="alert">
      <p className="callout__title">This runner’s token was used with a different key</p>
      <p>
        A connection with this runner’s token presented the key{' '}
        <code className="break">{pending.kid}</code> (<RelativeTime iso={pending.presentedAt} />),
        not the key pinned for this runner, <code className="break">{pinnedKid}</code>. It was
        refused: the runner keeps its key, and no secret was sent to that connection.
      </p>
      {canManage ? (
        <>
          <p>
            If you reinstalled this runner or moved its data folder, accept the new key and it
            connects on its next try. {ADVICE}
          </p>
          <div className="pending-key__actions">
            <Button
              variant="danger"
              pending={accept.isPending}
              onClick={() => {
                accept.reset();
                setConfirming({ pinnedKid, presentedKid: pending.kid });
              }}
            >
              Accept the new key
            </Button>
          </div>
        </>
      ) : (
        <p>An admin of your organization decides whether to accept it.</p>
      )}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(next) => {
          if (!next) setConfirming(null);
        }}
        title="Accept the new key?"
        confirmLabel="Accept the new key"
        pending={accept.isPending}
        error={accept.isError ? accept.error.message : null}
        onConfirm={() => {
          if (!confirming || accept.isPending) return;
          accept.mutate(confirming.presentedKid, {
            onSuccess: () => {
              setConfirming(null);
              toast({
                title: 'New key accepted',
                description: 'The runner connects with it on its next try, within 15 s. Re-enter the client secrets marked below.',
                tone: 'success',
              });
            },
          });
        }}
      >
        <dl className="details key-compare">
          <div className="details__row">
            <dt>Pinned key (now)</dt>
            <dd>
              <code className="break">{confirming?.pinnedKid}</code>
            </dd>
          </div>
          <div className="details__row">
            <dt>Presented key (new)</dt>
            <dd>
              <code className="break">{confirming?.presentedKid}</code>
            </dd>
          </div>
        </dl>
        <p>
          Check the new key id against the one the runner logs (“accepts this key (id …)”). Client
          secrets sealed to the pinned key cannot be opened with the new one: you enter each again.
        </p>
        <p>{ADVICE}</p>
      </ConfirmDialog>
    </div>
  );
}
