import {
  cloneElement,
  createContext,
  useContext,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';
import type {
  ButtonHTMLAttributes,
  MouseEvent as ReactMouseEvent,
  ReactElement,
  ReactNode,
} from 'react';

/*
 * Dialogs on the platform's modal <dialog> (showModal), not on a library. The browser makes the rest
 * of the page inert (out of reach of focus, pointer and assistive technology), draws the dialog in
 * the top layer, moves focus into it and exposes it as a modal dialog. Radix Dialog recreates those
 * in script (focus scope, aria-hidden siblings, scroll lock) for 11 KB gzip, which the runner page,
 * whose provider modal is fetched ahead of the click, could not carry within its 150 KB budget.
 *
 * What the element leaves to us is here, and only this: React state stays the one truth about
 * whether a dialog is open (Escape, a click outside and the close button ask its owner to close),
 * focus goes back where it came from, and the page behind does not scroll (app.css).
 *
 * The <dialog> is rendered into document.body: the top layer draws it above everything, but CSS
 * still inherits through the DOM, and a dialog opened from a table cell would otherwise take the
 * cell's `white-space: nowrap` and cut its text off. Its actions go in a footer that stays in view
 * while the body scrolls (DialogFooter).
 */

interface DialogContextValue {
  open: boolean;
  setOpen: (open: boolean) => void;
  contentId: string;
}

const DialogContext = createContext<DialogContextValue | null>(null);

function useDialog(): DialogContextValue {
  const dialog = useContext(DialogContext);
  if (!dialog)
    throw new Error('DialogTrigger, DialogClose and DialogContent belong inside <Dialog>.');
  return dialog;
}

/** Whether the dialog is open, owned by the caller. DialogContent shows only while it is. */
export function Dialog({
  open,
  onOpenChange,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  children: ReactNode;
}) {
  const contentId = useId();
  return (
    <DialogContext.Provider value={{ open, setOpen: onOpenChange, contentId }}>
      {children}
    </DialogContext.Provider>
  );
}

type ButtonElement = ReactElement<ButtonHTMLAttributes<HTMLButtonElement>>;

/** Makes its one child (a button) open the dialog, and say so to assistive technology. */
export function DialogTrigger({ children }: { children: ButtonElement }) {
  const { open, setOpen, contentId } = useDialog();
  return cloneElement(children, {
    'aria-haspopup': 'dialog',
    'aria-expanded': open,
    'aria-controls': open ? contentId : undefined,
    onClick: (event: ReactMouseEvent<HTMLButtonElement>) => {
      children.props.onClick?.(event);
      if (!event.defaultPrevented) setOpen(true);
    },
  });
}

// The open dialog's footer element, where DialogFooter puts its children.
const DialogFooterSlot = createContext<HTMLElement | null>(null);

/**
 * The dialog's actions, drawn in its footer below the scrolling body, so they stay in view however
 * long the content is. Inside a form, give the submit button `form={formId}`: the footer is outside
 * the <form> element in the DOM.
 */
export function DialogFooter({ children }: { children: ReactNode }) {
  const slot = useContext(DialogFooterSlot);
  return slot ? createPortal(<div className="dialog__actions">{children}</div>, slot) : null;
}

/** Makes its one child (a button) close the dialog. */
export function DialogClose({ children }: { children: ButtonElement }) {
  const { setOpen } = useDialog();
  return cloneElement(children, {
    onClick: (event: ReactMouseEvent<HTMLButtonElement>) => {
      children.props.onClick?.(event);
      if (!event.defaultPrevented) setOpen(false);
    },
  });
}

const FOCUSABLE = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
].join(', ');

/** `[data-autofocus]`, else the first focusable element of the body, then of the footer. */
function initialFocusOf(dialog: HTMLDialogElement): HTMLElement | null {
  return (
    dialog.querySelector<HTMLElement>('[data-autofocus]') ??
    dialog.querySelector('.dialog__body')?.querySelector<HTMLElement>(FOCUSABLE) ??
    dialog.querySelector('.dialog__footer')?.querySelector<HTMLElement>(FOCUSABLE) ??
    null
  );
}

export function DialogContent({
  title,
  description,
  children,
  dismissible = true,
  closeOnOutsideClick = true,
  closeButton = true,
  role = 'dialog',
  size = 'default',
  id,
  returnFocus,
  onCloseRequest,
}: {
  /** The dialog's accessible name. */
  title: string;
  /** The dialog's accessible description. */
  description?: ReactNode;
  children: ReactNode;
  /** False while work is under way: Escape, the close button and clicks outside do nothing. */
  dismissible?: boolean;
  /** False when closing by accident would lose something (what was typed, a secret shown once). */
  closeOnOutsideClick?: boolean;
  /** The × in the corner; alert dialogs have Cancel instead. */
  closeButton?: boolean;
  /** 'alertdialog' to confirm something that cannot be undone. */
  role?: 'dialog' | 'alertdialog';
  /** 'wide' for a form with help beside it. */
  size?: 'default' | 'wide';
  /** For a trigger outside <Dialog> that names this dialog in aria-controls. */
  id?: string;
  /** Moves focus on close, instead of back to what had it when the dialog opened. */
  returnFocus?: (() => void) | undefined;
  /**
   * Asked before Escape, the × or a click outside closes the dialog; false keeps it open (to warn
   * first, e.g. about a token shown only once). Buttons inside (DialogClose) are not asked.
   */
  onCloseRequest?: (() => boolean) | undefined;
}) {
  const { open, setOpen, contentId } = useDialog();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnFocusRef = useRef(returnFocus);
  const titleId = useId();
  const descriptionId = useId();
  const [footer, setFooter] = useState<HTMLDivElement | null>(null);

  useLayoutEffect(() => {
    returnFocusRef.current = returnFocus;
  }, [returnFocus]);

  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    if (!open || !dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // showModal focuses the first focusable element, which is now × (first in tab order, as it is
    // drawn first): start on what the dialog is for instead, or on Cancel in an alert dialog.
    initialFocusOf(dialog)?.focus();
    return () => {
      // Close first: while it is open, everything outside is inert and cannot take focus.
      dialog.close();
      if (returnFocusRef.current) returnFocusRef.current();
      else if (opener?.isConnected) opener.focus();
    };
  }, [open]);

  if (!open) return null;

  const requestClose = () => {
    if (dismissible && (onCloseRequest?.() ?? true)) setOpen(false);
  };

  return createPortal(
    <dialog
      ref={dialogRef}
      id={id ?? contentId}
      className={size === 'wide' ? 'dialog dialog--wide' : 'dialog'}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onKeyDown={(event) => {
        // Handled here rather than left to the browser, which would close the element itself. A
        // dialog opened from this one (a confirmation) handles its own Escape first.
        if (event.key !== 'Escape' || event.defaultPrevented) return;
        event.preventDefault();
        requestClose();
      }}
      onCancel={(event) => {
        // Other close requests (a device's back gesture): the same as Escape.
        event.preventDefault();
        requestClose();
      }}
      onClose={(event) => {
        // The browser may close a dialog despite the above (repeated requests without a user
        // gesture). Keep React's view true: close it there too, or open it again while it works.
        const dialog = event.currentTarget;
        if (!dialog.isConnected || dialog.open) return;
        if (dismissible) setOpen(false);
        else dialog.showModal();
      }}
      onClick={(event) => {
        // A click on the backdrop arrives as a click on the <dialog> itself, outside its box.
        if (event.target !== event.currentTarget || !closeOnOutsideClick) return;
        const box = event.currentTarget.getBoundingClientRect();
        const inside =
          event.clientX >= box.left &&
          event.clientX <= box.right &&
          event.clientY >= box.top &&
          event.clientY <= box.bottom;
        if (!inside) requestClose();
      }}
    >
      {/* First in the DOM, so first in tab order as it is drawn first (CSS puts it top right);
          opening still starts on the dialog's content (initialFocusOf). */}
      {closeButton ? (
        <button
          type="button"
          className="dialog__close"
          aria-label="Close"
          disabled={!dismissible}
          onClick={requestClose}
        >
          <span aria-hidden="true">×</span>
        </button>
      ) : null}
      <div className="dialog__header">
        <h2 id={titleId} className="dialog__title">
          {title}
        </h2>
        {description ? (
          <div id={descriptionId} className="dialog__description">
            {description}
          </div>
        ) : null}
      </div>
      <div className="dialog__body">
        <DialogFooterSlot.Provider value={footer}>{children}</DialogFooterSlot.Provider>
      </div>
      <div ref={setFooter} className="dialog__footer" />
    </dialog>,
    document.body,
  );
}
