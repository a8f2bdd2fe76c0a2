import { findScmProviderByHost } from '@runner-console/scm-providers';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { readCsrfToken } from '../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../lib/host-authentication-query.ts';
import { serverEvents } from '../../lib/server-events.ts';
import { buildConnectUrl, centredPopupFeatures } from './build-connect-url.ts';
import { watchConnectAttempt } from './watch-connect-attempt.ts';

export type ConnectState =
  | { status: 'idle' }
  | { status: 'waiting' }
  | { status: 'blocked' }
  | { status: 'connected'; message: string }
  | { status: 'failed'; message: string };

/** "The Bitbucket window was closed before you finished. Click Connect again." */
export function popupClosedMessage(host: string): string {
  return `The ${findScmProviderByHost(host)?.name ?? host} window was closed before you finished. Click Connect again.`;
}
const MISSING_CSRF_MESSAGE =
  'This page lost its security token. Reload the page, then click Connect again.';

/**
 * Connect for one runner and host: opens the centred popup (or offers the same tab when the
 * browser blocks it) and reports the outcome. A success refreshes the host's authentication.
 */
export function useConnect({
  runnerId,
  host,
  runnerOrigin,
  authorizeUrl,
  returnTo,
}: {
  runnerId: string;
  host: string;
  runnerOrigin: string | null;
  authorizeUrl: string | null;
  /** The dashboard path the same-tab path comes back to. */
  returnTo: string;
}) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<ConnectState>({ status: 'idle' });
  const stopWatching = useRef<(() => void) | null>(null);

  // Another runner or host is another connection: forget this one's attempt.
  useEffect(() => {
    setState({ status: 'idle' });
    return () => {
      stopWatching.current?.();
      stopWatching.current = null;
    };
  }, [runnerId, host]);

  const connect = useCallback(() => {
    if (!authorizeUrl) return;
    const csrf = readCsrfToken(document.cookie);
    if (!csrf) {
      setState({ status: 'failed', message: MISSING_CSRF_MESSAGE });
      return;
    }
    stopWatching.current?.();
    stopWatching.current = null;
    const url = buildConnectUrl(authorizeUrl, { csrf, mode: 'popup', base: window.location.origin });
    // Opened synchronously in the click, and with an opener: the callback page posts back to it.
    const popup = window.open(url, 'rc-connect', centredPopupFeatures(window));
    if (!popup) {
      setState({ status: 'blocked' });
      return;
    }
    popup.focus();
    setState({ status: 'waiting' });
    stopWatching.current = watchConnectAttempt({
      popup,
      runnerOrigin,
      runnerId,
      host,
      serverEvents,
      onResult: (outcome) => {
        stopWatching.current = null;
        // Shown in this task rather than a scheduled render: the confirmation is what the user waits for.
        flushSync(() =>
          setState(
            outcome.status === 'connected'
              ? { status: 'connected', message: outcome.message }
              : { status: 'failed', message: outcome.message },
          ),
        );
        void queryClient.invalidateQueries({
          queryKey: hostAuthenticationQueries.check(runnerId, host).queryKey,
        });
      },
      onClosedEarly: () => {
        stopWatching.current = null;
        setState({ status: 'failed', message: popupClosedMessage(host) });
      },
    });
  }, [authorizeUrl, runnerOrigin, runnerId, host, queryClient]);

  /** The same-tab path, for when the popup was blocked. The page comes back to `returnTo`. */
  const continueInThisTab = useCallback(() => {
    if (!authorizeUrl) return;
    const csrf = readCsrfToken(document.cookie);
    if (!csrf) {
      setState({ status: 'failed', message: MISSING_CSRF_MESSAGE });
      return;
    }
    window.location.assign(
      buildConnectUrl(authorizeUrl, { csrf, mode: 'tab', returnTo, base: window.location.origin }),
    );
  }, [authorizeUrl, returnTo]);

  return { state, connect, continueInThisTab };
}
