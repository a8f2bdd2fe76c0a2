/**
 * One EventSource for the whole app (GET /api/events). Features subscribe by event type; the
 * connection opens with the first subscriber, closes after the last one leaves, and comes back
 * after failures. Payloads are handed over as parsed JSON: each feature checks them with its
 * contract schema.
 */

export type ServerEventListener = (data: unknown) => void;

/** The part of the browser's EventSource this module uses, so tests can stand in for it. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface ServerEventsOptions {
  url: string;
  createEventSource?: (url: string) => EventSourceLike;
  /** Waits before reopening a connection the browser gave up on; the last one repeats. */
  retryDelaysMs?: readonly number[];
}

// EventSource.CLOSED: the browser will not retry by itself (e.g. the server answered 401 or 5xx).
const CLOSED = 2;
const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

export function createServerEvents(options: ServerEventsOptions) {
  const createEventSource =
    options.createEventSource ?? ((url: string): EventSourceLike => new EventSource(url));
  const retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;

  const listeners = new Map<string, Set<ServerEventListener>>();
  const reconnectListeners = new Set<() => void>();
  const connectionLostListeners = new Set<() => void>();

  let source: EventSourceLike | null = null;
  let attachedTypes = new Set<string>();
  let hasBeenOpen = false;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closeTimer: ReturnType<typeof setTimeout> | undefined;

  function subscriberCount() {
    let count = 0;
    for (const set of listeners.values()) count += set.size;
    return count;
  }

  function dispatch(type: string, raw: string) {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      console.warn(`Ignoring a "${type}" server event whose data is not JSON.`);
      return;
    }
    for (const listener of [...(listeners.get(type) ?? [])]) listener(data);
  }

  function attach(type: string) {
    if (!source || attachedTypes.has(type)) return;
    attachedTypes.add(type);
    source.addEventListener(type, (event) => dispatch(type, event.data));
  }

  function open() {
    const current = createEventSource(options.url);
    source = current;
    attachedTypes = new Set();
    for (const type of listeners.keys()) attach(type);
    // The BFF instance is draining (a restart): open a new stream now, through the load balancer to
    // another instance, instead of after the browser's retry delay.
    current.addEventListener('reconnect', () => {
      if (source !== current) return;
      current.close();
      source = null;
      if (subscriberCount() > 0 && retryTimer === undefined) open();
    });
    current.onopen = () => {
      failures = 0;
      // Events sent while we were away are lost: let features refetch what they show.
      if (hasBeenOpen) for (const listener of [...reconnectListeners]) listener();
      hasBeenOpen = true;
    };
    current.onerror = () => {
      // While CONNECTING the browser retries on its own; CLOSED means it gave up.
      if (current.readyState !== CLOSED || source !== current) return;
      current.close();
      source = null;
      for (const listener of [...connectionLostListeners]) listener();
      scheduleRetry();
    };
  }

  function scheduleRetry() {
    const delay = retryDelaysMs[Math.min(failures, retryDelaysMs.length - 1)] ?? 30_000;
    failures += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (subscriberCount() > 0 && !source) open();
    }, delay);
  }

  function ensureOpen() {
    clearTimeout(closeTimer);
    closeTimer = undefined;
    if (!source && retryTimer === undefined) open();
  }

  function closeWhenUnused() {
    if (subscriberCount() > 0) return;
    // Deferred so that an unsubscribe followed at once by a subscribe (React StrictMode, a remount)
    // keeps the same connection.
    clearTimeout(closeTimer);
    closeTimer = setTimeout(() => {
      closeTimer = undefined;
      if (subscriberCount() > 0) return;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      source?.close();
      source = null;
      hasBeenOpen = false;
      failures = 0;
    }, 0);
  }

  return {
    /** Calls `listener` with each event of `type`; returns the function that unsubscribes. */
    subscribe(type: string, listener: ServerEventListener): () => void {
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
      }
      set.add(listener);
      attach(type);
      ensureOpen();
      return () => {
        set.delete(listener);
        closeWhenUnused();
      };
    },
    /** Called each time the connection opens again after a break. */
    onReconnect(listener: () => void): () => void {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
    /** Called when the browser gives up on the connection (a retry is already scheduled). */
    onConnectionLost(listener: () => void): () => void {
      connectionLostListeners.add(listener);
      return () => connectionLostListeners.delete(listener);
    },
  };
}

export type ServerEvents = ReturnType<typeof createServerEvents>;

export const serverEvents: ServerEvents = createServerEvents({ url: '/api/events' });
