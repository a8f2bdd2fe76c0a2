import * as RadixToast from '@radix-ui/react-toast';
import type { ToastItem } from './toast.tsx';

/** The toasts and the Radix viewport (an F8-reachable region labelled "Notifications"). */
export function ToastRegion({
  toasts,
  onRemove,
}: {
  toasts: readonly ToastItem[];
  onRemove: (id: number) => void;
}) {
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
      <RadixToast.Viewport className="toast-viewport" label="Notifications ({hotkey})" />
    </RadixToast.Provider>
  );
}
