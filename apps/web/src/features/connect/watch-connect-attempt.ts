import { findScmProviderByHost } from '@runner-console/scm-providers';
import { ConnectResultEvent } from '@runner-console/contracts';
import type { ServerEvents } from '../../lib/server-events.ts';
import { acceptConnectMessage } from './accept-connect-message.ts';

export interface ConnectOutcome {
  status: 'connected' | 'failed';
  message: string;
  accountName: string | null;
}

export interface WatchConnectAttemptOptions {
  popup: Window;
  runnerOrigin: string | null;
  runnerId: string;
  host: string;
  serverEvents: ServerEvents;
  onResult: (outcome: ConnectOutcome) => void;
  /** The popup was closed and no result arrived, not even a late server event. */
  onClosedEarly: () => void;
  /** How often to look whether the popup was closed. */
  pollMs?: number;
  /** After the popup closed: how long a late server event may still take. */
  graceMs?: number;
}

/**
 * Waits for the outcome of one Connect popup, from whichever arrives first:
 * - the result page's postMessage, trusted only from the runner's origin (a refusal at its
 *   callback) or this dashboard's (the finish page), and only from this popup;
 * - the BFF's `connect.result` server event for this runner and host (covers a cut opener link).
 * A popup closed before either is reported once a short grace period has passed.
 * Returns the function that stops watching.
 */
export function watchConnectAttempt(options: WatchConnectAttemptOptions): () => void {
  const { popup, runnerOrigin, runnerId, host } = options;
  let finished = false;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;

  function finish(outcome: ConnectOutcome) {
    if (finished) return;
    stop();
    options.onResult(outcome);
  }

  function onMessage(event: MessageEvent) {
    const message = acceptConnectMessage(event, { runnerOrigin, dashboardOrigin: window.location.origin, popup });
    if (message) finish(message);
  }

  // The flow id is unknown until the popup answers; this page started at most one flow for this
  // runner and host since Connect was clicked, so the first finished one is ours.
  const unsubscribe = options.serverEvents.subscribe('connect.result', (data) => {
    const event = ConnectResultEvent.safeParse(data);
    if (!event.success) return;
    const { flow } = event.data;
    if (flow.runnerId !== runnerId || flow.host !== host) return;
    if (flow.status !== 'connected' && flow.status !== 'failed') return;
    finish({
      status: flow.status,
      message: flow.message ?? (flow.status === 'connected' ? `${findScmProviderByHost(host)?.name ?? host} is now connected.` : 'Connect did not finish. Click Connect again.'),
      accountName: flow.accountName,
    });
  });

  const poll = setInterval(() => {
    if (!popup.closed || graceTimer !== undefined) return;
    clearInterval(poll);
    graceTimer = setTimeout(() => {
      if (finished) return;
      stop();
      options.onClosedEarly();
    }, options.graceMs ?? 1_000);
  }, options.pollMs ?? 250);

  window.addEventListener('message', onMessage);

  function stop() {
    finished = true;
    window.removeEventListener('message', onMessage);
    unsubscribe();
    clearInterval(poll);
    clearTimeout(graceTimer);
  }

  return stop;
}
