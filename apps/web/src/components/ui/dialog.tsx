import * as RadixDialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

/** Radix Dialog: focus is trapped inside and returns to the trigger on close. */
export const Dialog = RadixDialog.Root;
export const DialogTrigger = RadixDialog.Trigger;
export const DialogClose = RadixDialog.Close;

export function DialogContent({
  title,
  description,
  children,
  dismissible = true,
  closeOnOutsideClick = true,
  size = 'default',
  id,
  onCloseAutoFocus,
}: {
  /** The dialog's accessible name. */
  title: string;
  /** The dialog's accessible description. */
  description?: ReactNode;
  children: ReactNode;
  /** False while work is under way: Escape, the close button and clicks outside do nothing. */
  dismissible?: boolean;
  /** False when closing by accident would lose something (a secret shown once). */
  closeOnOutsideClick?: boolean;
  /** 'wide' for a form with help beside it. */
  size?: 'default' | 'wide';
  /** For a trigger outside <Dialog> that names this dialog in aria-controls. */
  id?: string;
  /** Where focus goes on close; by default back to the DialogTrigger, when there is one. */
  onCloseAutoFocus?: (event: Event) => void;
}) {
  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="dialog-overlay" />
      <RadixDialog.Content
        className={size === 'wide' ? 'dialog dialog--wide' : 'dialog'}
        {...(description ? {} : { 'aria-describedby': undefined })}
        {...(id ? { id } : {})}
        onCloseAutoFocus={onCloseAutoFocus}
        onEscapeKeyDown={(event) => {
          if (!dismissible) event.preventDefault();
        }}
        onPointerDownOutside={(event) => {
          if (!dismissible || !closeOnOutsideClick) event.preventDefault();
        }}
        onInteractOutside={(event) => {
          if (!dismissible || !closeOnOutsideClick) event.preventDefault();
        }}
      >
        <RadixDialog.Title className="dialog__title">{title}</RadixDialog.Title>
        {description ? (
          <RadixDialog.Description className="dialog__description">
            {description}
          </RadixDialog.Description>
        ) : null}
        <div className="dialog__body">{children}</div>
        {/* Last in the DOM so that opening focuses the first field, not this button; CSS puts it top right. */}
        <RadixDialog.Close className="dialog__close" aria-label="Close" disabled={!dismissible}>
          <span aria-hidden="true">×</span>
        </RadixDialog.Close>
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}
