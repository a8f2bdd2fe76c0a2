import * as RadixAlertDialog from '@radix-ui/react-alert-dialog';
import type { ReactNode } from 'react';

/**
 * Radix AlertDialog, for confirming a destructive action: focus starts on Cancel, Escape cancels,
 * and a click outside does nothing.
 */
export const AlertDialog = RadixAlertDialog.Root;
export const AlertDialogTrigger = RadixAlertDialog.Trigger;
export const AlertDialogCancel = RadixAlertDialog.Cancel;

export function AlertDialogContent({
  title,
  description,
  children,
  busy = false,
}: {
  /** The dialog's accessible name. */
  title: string;
  /** The dialog's accessible description: what will happen. */
  description: ReactNode;
  /** The error, if any, and the actions (Cancel and the confirming button). */
  children: ReactNode;
  /** True while the action runs: Escape does not close the dialog. */
  busy?: boolean;
}) {
  return (
    <RadixAlertDialog.Portal>
      <RadixAlertDialog.Overlay className="dialog-overlay" />
      <RadixAlertDialog.Content
        className="dialog"
        onEscapeKeyDown={(event) => {
          if (busy) event.preventDefault();
        }}
      >
        <RadixAlertDialog.Title className="dialog__title">{title}</RadixAlertDialog.Title>
        <RadixAlertDialog.Description asChild>
          <div className="dialog__description">{description}</div>
        </RadixAlertDialog.Description>
        <div className="dialog__body">{children}</div>
      </RadixAlertDialog.Content>
    </RadixAlertDialog.Portal>
  );
}
