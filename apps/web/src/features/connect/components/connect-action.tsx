import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { originOfUrl } from '../accept-connect-message.ts';
import { useConnect } from '../use-connect.ts';
import { ApiTokenForm } from './api-token-form.tsx';
import '../../../styles/connect.css';
import { apiTokenLabelWithArticle, getScmProvider, isScmProviderId } from '@runner-console/scm-providers';

export interface ConnectActionProps {
  runnerId: string;
  runnerName: string;
  /** The runner's public URL: its origin is the only one whose messages are trusted. */
  runnerPublicUrl: string | null;
  host: string;
  /** The provider's name, for the button's accessible name ("Connect <provider> on Local runner"). */
  providerName: string;
  /** Where the same-tab path comes back to. */
  returnTo: string;
  /** Called with the confirmation ("<provider> is now connected as Alice.") once connected. */
  onConnected: (message: string) => void;
}

/**
 * Connect for one runner and host, as an action in a list (Settings › Git authentications): the
 * same popup flow as New environment's panel, or the API-token form where the integration takes
 * tokens only.
 */
export function ConnectAction(props: ConnectActionProps) {
  const { runnerId, host, onConnected } = props;
  const check = useQuery(hostAuthenticationQueries.check(runnerId, host));
  const connect = useConnect({
    runnerId,
    host,
    runnerOrigin: originOfUrl(props.runnerPublicUrl),
    authorizeUrl: check.data?.authorizeUrl ?? null,
    returnTo: props.returnTo,
  });
  const [usingToken, setUsingToken] = useState(false);
  const state = connect.state;
  const message = state.status === 'connected' ? state.message : null;
  useEffect(() => {
    if (message) onConnected(message);
  }, [message, onConnected]);

  const result = check.data;
  if (!result) return null;
  const where = `${props.providerName} on ${props.runnerName}`;
  const again = Boolean(result.reauthorizeReason) || state.status === 'failed';
  if (result.unavailableReason) return <p className="muted">{result.unavailableReason}</p>;
  const providerId = result.scmId !== null && isScmProviderId(result.scmId) ? result.scmId : null;
  const tokenLabel = apiTokenLabelWithArticle(providerId ? getScmProvider(providerId) : undefined);
  if (result.supportsPat && providerId && (usingToken || !result.authorizeUrl)) {
    return usingToken ? (
      <ApiTokenForm
        runnerId={runnerId}
        host={host}
        supportsPat={result.supportsPat}
        providerId={providerId}
        providerName={props.providerName}
        reason={result.method === 'api_token' ? result.reauthorizeReason : null}
        onConnected={onConnected}
        onCancel={() => setUsingToken(false)}
        focusOnOpen
      />
    ) : (
      <Button variant="secondary" onClick={() => setUsingToken(true)}>
        Connect with {tokenLabel}<span className="visually-hidden"> to {where}</span>
      </Button>
    );
  }
  return (
    <div className="connect-action">
      <div className="authorize-panel__actions">
        <Button variant="primary" onClick={connect.connect} pending={state.status === 'waiting'}>
          {again ? 'Connect again' : 'Connect'}
          <span className="visually-hidden"> {where}</span>
        </Button>
        {result.supportsPat ? (
          <Button variant="secondary" onClick={() => setUsingToken(true)}>
            Use {tokenLabel} instead<span className="visually-hidden"> for {where}</span>
          </Button>
        ) : null}
      </div>
      <div role="status">
        {state.status === 'waiting' ? (
          <p className="muted">Waiting for {props.providerName}… Approve access in the window that opened.</p>
        ) : null}
      </div>
      {state.status === 'blocked' ? (
        <div className="form-alert" role="alert">
          <p>
            Your browser blocked the popup. Allow popups for this site and click Connect again, or{' '}
            <Button variant="ghost" onClick={connect.continueInThisTab}>
              continue in this tab
            </Button>
            .
          </p>
        </div>
      ) : null}
      {state.status === 'failed' ? (
        <div className="form-alert" role="alert">
          <p>{state.message}</p>
        </div>
      ) : null}
    </div>
  );
}
