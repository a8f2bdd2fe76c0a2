import * as RadixToast from '@radix-ui/react-toast';
import { useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import type { ToastItem } from './toast.tsx';

/**
 * The toasts and the Radix viewport (an F8-reachable region labelled "Notifications").
 *
 * A modal dialog is drawn in the top layer, above the page, and makes the page inert: a toast in the
 * page's corner would sit dimmed behind the dialog's corner, out of reach. While one is open the
 * viewport is moved into it, below its footer, where toasts can be read and dismissed and cover none
 * of the dialog.
 */
export function ToastRegion({
  toasts,
  onRemove,
}: {
  toasts: readonly ToastItem[];
  onRemove: (id: number) => void;
}) {
  const dialog = useSyncExternalStore(watchOpenDialog, topOpenDialog);
  const viewport = (
    <RadixToast.Viewport
      className={dialog ? 'toast-viewport toast-viewport--in-dialog' : 'toast-viewport'}
      label="Notifications ({hotkey})"
    />
  );
  return (
    <RadixToast.Provider swipeDirection="right" duration={6000}>
      {toasts.map((toast) => (
        <RadixToast.Root
          key={toast.id}
          className={`toast toast--${toast.tone ?? 'info'}`}
          // Errors interrupt (assertive); confirmations wait their turn (polite).
          type={toast.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => {
            if (!open) onRemove(toast.id);
          }}
        >
          <RadixToast.Title className="toast__title">{toast.title}</RadixToast.Title>
          {toast.description ? (
            <RadixToast.Description className="toast__description">
              {toast.description}
            </RadixToast.Description>
          ) : null}
          <RadixToast.Close className="toast__close" aria-label="Dismiss">
            <span aria-hidden="true">×</span>
          </RadixToast.Close>
        </RadixToast.Root>
      ))}
      {dialog ? createPortal(viewport, dialog) : viewport}
    </RadixToast.Provider>
  );
}

/** The modal dialog on top (the last one opened), if any. */
function topOpenDialog(): HTMLDialogElement | null {
  const open = document.querySelectorAll<HTMLDialogElement>('dialog[open]');
  return open.length ? open[open.length - 1]! : null;
}

function watchOpenDialog(onChange: () => void): () => void {
  // Dialogs are rendered into <body> (components/ui/dialog.tsx) and opened with showModal().
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['open'] });
  return () => observer.disconnect();
}
