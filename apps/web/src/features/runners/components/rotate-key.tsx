import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useRotateRunnerKey } from '../api/use-rotate-runner-key.ts';

/** Admins: replace the runner's key pair, e.g. after a suspected leak of its data folder. */
export function RotateKey({ runnerId, online }: { runnerId: string; online: boolean }) {
  const [open, setOpen] = useState(false);
  const rotate = useRotateRunnerKey(runnerId);
  const toast = useToast();
  return (
    <div className="rotate-key">
      <Button onClick={() => setOpen(true)} disabled={!online}>
        Rotate key
      </Button>
      {!online ? <p className="muted">The runner must be active to make a new key.</p> : null}
      {rotate.isSuccess ? (
        <p role="status" className="result result--success">
          New key {rotate.data.publicKey?.kid.slice(0, 12)}… is active. Re-enter the client secrets
          marked “Re-enter the secret” below.
        </p>
      ) : null}
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) rotate.reset();
        }}
        title="Rotate this runner’s key?"
        confirmLabel="Rotate key"
        pending={rotate.isPending}
        error={rotate.isError ? rotate.error.message : null}
        onConfirm={() =>
          rotate.mutate(undefined, {
            onSuccess: () => {
              setOpen(false);
              toast({
                title: 'Runner key rotated',
                description:
                  'Secrets sealed to the old key keep working until you re-enter them; each is marked below.',
                tone: 'success',
              });
            },
          })
        }
      >
        <p>
          The runner makes a new key pair. Client secrets sealed to the old key keep working until
          you re-enter them, which seals them to the new key. Each one is marked on this page.
        </p>
      </ConfirmDialog>
    </div>
  );
}
