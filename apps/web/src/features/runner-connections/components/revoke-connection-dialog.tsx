import type { RunnerConnection } from '@runner-console/contracts';
import { useState } from 'react';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogTrigger,
} from '../../../components/ui/alert-dialog.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useRevokeRunnerConnection } from '../api/use-revoke-runner-connection.ts';
import { describeProviderRevocation, ownerOf, providerNameOf } from '../connection-labels.ts';

/** An admin revokes one developer's connection, after a confirmation that says what it does. */
export function RevokeConnectionButton({
  runnerId,
  runnerName,
  connection,
}: {
  runnerId: string;
  runnerName: string;
  connection: RunnerConnection;
}) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeRunnerConnection(runnerId);
  const toast = useToast();
  const provider = providerNameOf(connection.host);
  const owner = ownerOf(connection);
  const what = `${owner}’s ${provider} connection (${connection.accountName})`;

  function confirm() {
    revoke.mutate(connection, {
      onSuccess: (result) => {
        setOpen(false);
        toast({
          title: 'Connection revoked',
          description: `${what} was erased from ${runnerName}. ${describeProviderRevocation(result?.atProvider ?? null, provider)}`,
          tone: 'success',
        });
      },
    });
  }

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (revoke.isPending) return;
        setOpen(next);
        if (!next) revoke.reset();
      }}
    >
      <AlertDialogTrigger>
        <Button variant="secondary">
          Revoke<span className="visually-hidden"> {what}</span>
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent
        title={`Revoke ${owner}’s ${provider} connection?`}
        busy={revoke.isPending}
        description={
          <>
            <p>
              {runnerName} erases the token of {connection.accountName}
              {connection.userEmail ? ` (${connection.userEmail})` : ''} and revokes it at {provider}{' '}
              where {provider} allows it. Their environments on this runner can no longer fetch or
              push until they connect again.
            </p>
            <p>The revocation is recorded in this runner’s audit log.</p>
          </>
        }
      >
        {revoke.error ? (
          <p className="form-alert" role="alert">
            {revoke.error.message}
          </p>
        ) : null}
        <div className="dialog__actions">
          <AlertDialogCancel>
            <Button variant="secondary">Cancel</Button>
          </AlertDialogCancel>
          <Button variant="danger" onClick={confirm} pending={revoke.isPending}>
            Revoke
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  );
}
