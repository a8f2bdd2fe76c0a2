/**
 * A call made again while the same call is still running (a double click, before the button could
 * turn disabled) joins the running one instead of sending a second request: both get its answer,
 * so the page shows one result, the first. `keyOf` says which calls are the same.
 */
export function shareInFlight<A extends unknown[], R>(fn: (...args: A) => Promise<R>, keyOf: (...args: A) => string = (...args) => JSON.stringify(args)) {
  const running = new Map<string, Promise<R>>();
  return (...args: A): Promise<R> => {
    const key = keyOf(...args);
    const current = running.get(key);
    if (current) return current;
    const call = fn(...args).finally(() => running.delete(key));
    running.set(key, call);
    return call;
  };
}
