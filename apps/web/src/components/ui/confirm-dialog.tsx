import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { loadOnDemand, useOnDemandModule } from '../../lib/load-on-demand.ts';
import { useToast } from './toast.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** What happens, in a sentence or two: the dialog's description. */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  error?: string | null | undefined;
  /** Where focus goes on close; by default back to the trigger, when there is one. */
  onCloseAutoFocus?: (event: Event) => void;
}

// Radix AlertDialog (and the Dialog code under it) is a chunk of its own: a page that only might
// ask for confirmation does not load it up front.
const radixConfirmDialog = loadOnDemand(() => import('./radix-confirm-dialog.tsx'));

/**
 * Fetches the dialog's code ahead of opening it. For the button that opens it: call it on pointer
 * enter and on focus, so that the click does not wait.
 */
export const preloadConfirmDialog = radixConfirmDialog.preload;

/**
 * Asks before something that cannot be undone (see RadixConfirmDialog). It opens as soon as its
 * code is there; if that cannot be fetched, a toast says so and it stays closed.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { onOpenChange } = props;
  const dialog = useOnDemandModule(radixConfirmDialog, props.open);
  const toast = useToast();
  const failed = dialog.status === 'failed';
  useEffect(() => {
    if (!failed) return;
    toast({
      title: 'The dialog could not be opened',
      description: 'Check your connection and try again.',
      tone: 'error',
    });
    onOpenChange(false);
  }, [failed, toast, onOpenChange]);

  return dialog.status === 'ready' ? <dialog.module.RadixConfirmDialog {...props} /> : null;
}
