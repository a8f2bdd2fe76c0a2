import { cloneElement } from 'react';
import type { ButtonHTMLAttributes, ReactElement, ReactNode } from 'react';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from './dialog.tsx';

/**
 * For confirming a destructive action: an alertdialog that starts on Cancel, cancels on Escape, and
 * ignores a click outside (see dialog.tsx).
 */
export const AlertDialog = Dialog;
export const AlertDialogTrigger = DialogTrigger;

/** Its one child (a button) closes the dialog and has the focus when it opens. */
export function AlertDialogCancel({
  children,
}: {
  children: ReactElement<ButtonHTMLAttributes<HTMLButtonElement>>;
}) {
  return <DialogClose>{cloneElement(children, { 'data-autofocus': '' } as object)}</DialogClose>;
}

export function AlertDialogContent({
  title,
  description,
  children,
  busy = false,
  returnFocus,
}: {
  /** The dialog's accessible name. */
  title: string;
  /** The dialog's accessible description: what will happen. */
  description: ReactNode;
  /** The error, if any, and the actions (Cancel and the confirming button). */
  children: ReactNode;
  /** True while the action runs: Escape does not close the dialog. */
  busy?: boolean;
  /** Moves focus on close, instead of back to the trigger. */
  returnFocus?: (() => void) | undefined;
}) {
  return (
    <DialogContent
      role="alertdialog"
      title={title}
      description={description}
      dismissible={!busy}
      closeOnOutsideClick={false}
      closeButton={false}
      returnFocus={returnFocus}
    >
      {children}
    </DialogContent>
  );
}
