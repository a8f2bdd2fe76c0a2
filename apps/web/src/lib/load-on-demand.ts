import { useEffect, useState } from 'react';

/**
 * Code that a page needs only after an interaction (a dialog, its form): its own chunk, fetched
 * when first wanted, typically when the pointer or the focus reaches the button that needs it, and
 * from then on at hand synchronously, so that the click itself does not wait for the network.
 */
export interface OnDemandModule<M> {
  /** The module, once loaded. */
  readonly current: M | undefined;
  /** Loads the module (once); after a failure the next call tries again. */
  load(): Promise<M>;
  /** load() for event handlers: whoever then needs the module reports a failure. */
  preload(): void;
}

export function loadOnDemand<M>(importModule: () => Promise<M>): OnDemandModule<M> {
  let current: M | undefined;
  let loading: Promise<M> | undefined;
  function load(): Promise<M> {
    loading ??= importModule().then(
      (module) => (current = module),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  }
  return {
    get current() {
      return current;
    },
    load,
    preload: () => void load().catch(() => undefined),
  };
}

export type OnDemandState<M> =
  { status: 'ready'; module: M } | { status: 'idle' | 'loading' | 'failed'; module?: undefined };

/**
 * The module, loaded while `wanted` is true. The component renders again once it has arrived
 * ('ready') or could not be loaded ('failed'; wanting it again retries).
 */
export function useOnDemandModule<M>(
  onDemand: OnDemandModule<M>,
  wanted: boolean,
): OnDemandState<M> {
  const [failedAttempt, setFailedAttempt] = useState(false);
  const [, setLoaded] = useState(false);
  const module = onDemand.current;

  useEffect(() => {
    if (!wanted) setFailedAttempt(false);
    if (!wanted || module) return;
    let current = true;
    onDemand.load().then(
      () => {
        if (current) setLoaded(true);
      },
      () => {
        if (current) setFailedAttempt(true);
      },
    );
    return () => {
      current = false;
    };
  }, [onDemand, wanted, module]);

  if (module) return { status: 'ready', module };
  if (!wanted) return { status: 'idle' };
  return { status: failedAttempt ? 'failed' : 'loading' };
}

/**
 * Loads the module once the browser is idle after the page has rendered: for the code of a page's
 * likely next step, so that it is there before the click without delaying the page itself.
 */
export function usePreloadWhenIdle(onDemand: OnDemandModule<unknown>, enabled = true) {
  useEffect(() => {
    if (!enabled || onDemand.current) return;
    // Safari has no requestIdleCallback: a timeout still runs after the page's own work.
    if (typeof requestIdleCallback !== 'function') {
      const timer = setTimeout(onDemand.preload, 0);
      return () => clearTimeout(timer);
    }
    const id = requestIdleCallback(onDemand.preload);
    return () => cancelIdleCallback(id);
  }, [onDemand, enabled]);
}
