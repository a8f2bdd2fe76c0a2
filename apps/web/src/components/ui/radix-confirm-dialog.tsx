import * as RadixAlertDialog from '@radix-ui/react-alert-dialog';
import { Button } from './button.tsx';
import type { ConfirmDialogProps } from './confirm-dialog.tsx';

/**
 * A Radix AlertDialog that asks before something that cannot be undone. Focus starts on Cancel;
 * Escape cancels. The confirm button stays in the dialog while the work runs (it does not close
 * by itself), so a failure can be shown here and retried.
 */
export function RadixConfirmDialog({
  open,
  onOpenChange,
  title,
  children,
  confirmLabel,
  onConfirm,
  pending = false,
  error,
  onCloseAutoFocus,
}: ConfirmDialogProps) {
  return (
    <RadixAlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!pending) onOpenChange(next);
      }}
    >
      <RadixAlertDialog.Portal>
        <RadixAlertDialog.Overlay className="dialog-overlay" />
        <RadixAlertDialog.Content className="dialog" onCloseAutoFocus={onCloseAutoFocus}>
          <RadixAlertDialog.Title className="dialog__title">{title}</RadixAlertDialog.Title>
          <RadixAlertDialog.Description asChild>
            <div className="dialog__description">{children}</div>
          </RadixAlertDialog.Description>
          {error ? (
            <div className="form-alert" role="alert">
              {error}
            </div>
          ) : null}
          <div className="dialog__actions">
            <RadixAlertDialog.Cancel asChild>
              <Button disabled={pending}>Cancel</Button>
            </RadixAlertDialog.Cancel>
            <Button variant="danger" pending={pending} onClick={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </RadixAlertDialog.Content>
      </RadixAlertDialog.Portal>
    </RadixAlertDialog.Root>
  );
}
