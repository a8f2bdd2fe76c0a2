import type { ReactNode } from 'react';
import { AlertDialog, AlertDialogCancel, AlertDialogContent } from './alert-dialog.tsx';
import { Button } from './button.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What happens, in a sentence or two: the dialog's description. */
  children: ReactNode;
  confirmLabel: string;
  /** The button that keeps things as they are (Cancel). */
  cancelLabel?: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null | undefined;
  /** Moves focus on close, instead of back to what had it when the dialog opened. */
  returnFocus?: (() => void) | undefined;
}

/**
 * Asks before something that cannot be undone. Focus starts on Cancel; Escape cancels. The confirm
 * button stays in the dialog while the work runs (it does not close by itself), so a failure can be
 * shown here and retried.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  onConfirm,
  pending = false,
  error,
  returnFocus,
}: ConfirmDialogProps) {
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (!pending) onOpenChange(next);
      }}
    >
      <AlertDialogContent
        title={title}
        description={children}
        busy={pending}
        returnFocus={returnFocus}
      >
        {error ? (
          <div className="form-alert" role="alert">
            {error}
          </div>
        ) : null}
        <div className="dialog__actions">
          <AlertDialogCancel>
            <Button disabled={pending}>{cancelLabel}</Button>
          </AlertDialogCancel>
          <Button variant="danger" pending={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </div>
      </AlertDialogContent>
    </AlertDialog>
  );
}
