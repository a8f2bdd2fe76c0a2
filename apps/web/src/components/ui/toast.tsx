import { createContext, useCallback, useContext, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { loadOnDemand } from '../../lib/load-on-demand.ts';

export type ToastTone = 'info' | 'success' | 'error';

export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
}

export interface ToastItem extends ToastInput {
  id: number;
}

type ShowToast = (toast: ToastInput) => void;

const ToastContext = createContext<ShowToast | null>(null);

// Radix Toast is loaded with the first toast rather than with every page: a toast follows an action
// and its request, so no page needs that code to show itself.
const toastRegion = loadOnDemand(() => import('./toast-region.tsx'));

/**
 * Holds the toasts, and from the first toast on the region that shows them (an F8-reachable region
 * labelled "Notifications"). Toasts wait in the list until its code is there; if it could not be
 * fetched, the next toast tries again.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const [, setRegionLoaded] = useState(false);
  const nextId = useRef(1);

  const show = useCallback<ShowToast>((toast) => {
    const id = nextId.current++;
    setToasts((current) => [...current, { ...toast, id }]);
    toastRegion.load().then(
      () => setRegionLoaded(true),
      () => undefined,
    );
  }, []);

  const remove = useCallback((id: number) => {
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  return (
    <ToastContext.Provider value={show}>
      {children}
      {toastRegion.current ? (
        <toastRegion.current.ToastRegion toasts={toasts} onRemove={remove} />
      ) : null}
    </ToastContext.Provider>
  );
}

export function useToast(): ShowToast {
  const show = useContext(ToastContext);
  if (!show) throw new Error('useToast must be used inside <ToastProvider>.');
  return show;
}
