import type { CheckAuthenticationResponse } from '@runner-console/contracts';
import { apiTokenLabelWithArticle, findScmProviderByHost, getScmProvider, isScmProviderId, type ScmProviderId } from '@runner-console/scm-providers';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { describeApiTokenExpiry } from '../../../lib/api-token-expiry.ts';
import { useNow } from '../../../lib/use-now.ts';
import { ApiTokenForm } from './api-token-form.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { originOfUrl } from '../accept-connect-message.ts';
import { useConnect } from '../use-connect.ts';
import type { ConnectState } from '../use-connect.ts';
import { useReturnedConnectFlow } from '../use-returned-connect-flow.ts';
import '../../../styles/connect.css';

export interface HostAuthorizationProps {
  runnerId: string;
  runnerName: string;
  /** The runner's public URL: its origin is the only one whose messages are trusted. */
  runnerPublicUrl: string | null;
  host: string;
  /** Where the same-tab path comes back to (a dashboard path that restores the form). */
  returnTo: string;
}

/**
 * Whether the user is connected to `host` on the runner, and Connect when not: the "Authorize
 * <provider>" panel, the popup, and the confirmation.
 */
export function HostAuthorization(props: HostAuthorizationProps) {
  const { runnerId, host } = props;
  const check = useQuery(hostAuthenticationQueries.check(runnerId, host));
  const connect = useConnect({
    runnerId,
    host,
    runnerOrigin: originOfUrl(props.runnerPublicUrl),
    authorizeUrl: check.data?.authorizeUrl ?? null,
    returnTo: props.returnTo,
  });
  const returned = useReturnedConnectFlow();
  const [tokenMessage, setTokenMessage] = useState<string | null>(null);

  // The outcome to show: a token just entered, this page's own attempt, else the one the same-tab path came back from.
  let outcome: ConnectState = tokenMessage ? { status: 'connected', message: tokenMessage } : connect.state;
  if (outcome.status === 'idle' && returned.data) {
    const flow = returned.data;
    if (flow.status === 'connected') {
      outcome = { status: 'connected', message: flow.message ?? `${providerName(host)} is now connected.` };
    } else if (flow.status === 'failed') {
      outcome = { status: 'failed', message: flow.message ?? 'Connect did not finish. Click Connect again.' };
    }
  }

  return (
    <div className="host-authorization">
      {check.isPending ? <LoadingStatus>{`Checking your ${providerName(host)} connection…`}</LoadingStatus> : null}
      {check.isError && !check.data ? (
        <ErrorPanel
          title={
            isApiRequestError(check.error) && check.error.code === 'runner_offline'
              ? `${props.runnerName} is offline`
              : `Your ${providerName(host)} connection could not be checked`
          }
          message={check.error.message}
          onRetry={() => void check.refetch()}
          retrying={check.isFetching}
        />
      ) : null}
      {check.data ? (
        <AuthenticationState
          result={check.data}
          runnerName={props.runnerName}
          outcome={outcome}
          onConnect={connect.connect}
          onContinueInThisTab={connect.continueInThisTab}
          onTokenConnected={setTokenMessage}
        />
      ) : null}
      <ConnectOutcomeStatus outcome={outcome} providerName={providerName(host)} />
    </div>
  );
}

function AuthenticationState({
  result,
  runnerName,
  outcome,
  onConnect,
  onContinueInThisTab,
  onTokenConnected,
}: {
  result: CheckAuthenticationResponse;
  runnerName: string;
  outcome: ConnectState;
  onConnect: () => void;
  onContinueInThisTab: () => void;
  onTokenConnected: (message: string) => void;
}) {
  const name = result.scmName ?? providerName(result.host);
  if (!result.integrationAvailable) {
    return (
      <div className="callout callout--warning">
        <p className="callout__title">
          This runner has no {name} integration yet.{' '}
          {result.adminContacts.length > 0 ? (
            <>
              Ask an admin of your organization:{' '}
              {result.adminContacts.map((email, index) => (
                <span key={email}>
                  {index > 0 ? ', ' : null}
                  <a href={`mailto:${email}`}>{email}</a>
                </span>
              ))}
            </>
          ) : (
            'Ask an admin of your organization to add one.'
          )}
        </p>
        <p>An admin adds it in Settings › Runners › {runnerName} › Configure repository access.</p>
      </div>
    );
  }
  if (result.authenticated) {
    // Just connected: the confirmation below ("<provider> is now connected as Alice.") says it once;
    // an API token close to its expiry still gets its flag.
    if (outcome.status === 'connected') return result.method === 'api_token' && result.expiresAt ? <ApiTokenExpiresSoon expiresAt={result.expiresAt} /> : null;
    return (
      <p className="connect-connected">
        <span className="connect-connected__mark" aria-hidden="true" />
        Connected to {name} as {result.accountName ?? 'your account'}
        {result.method === 'api_token' ? <ApiTokenBadge expiresAt={result.expiresAt} /> : null}
      </p>
    );
  }
  // An integration exists but Connect cannot work now (its callback URL changed): no Connect
  // button that would end on the provider's error page, but what to do instead.
  if (result.unavailableReason) {
    return (
      <div className="callout callout--warning" role="alert">
        <p className="callout__title">Connecting to {name} through {runnerName} is paused.</p>
        <p>{result.unavailableReason}</p>
      </div>
    );
  }
  return (
    <AuthorizePanel
      result={result}
      name={name}
      runnerName={runnerName}
      outcome={outcome}
      onConnect={onConnect}
      onContinueInThisTab={onContinueInThisTab}
      onTokenConnected={onTokenConnected}
    />
  );
}

/** The flag alone, for an API token within 14 days of its expiry (nothing otherwise). */
function ApiTokenExpiresSoon({ expiresAt }: { expiresAt: string }) {
  const now = useNow();
  if (!describeApiTokenExpiry(expiresAt, now).soon) return null;
  return (
    <p className="connect-connected">
      <StatusBadge tone="warning">Expires soon: create a new token</StatusBadge>
    </p>
  );
}

/** "API token · Expires 1 Mar 2027", flagged within 14 days of its expiry. */
function ApiTokenBadge({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow();
  const expiry = expiresAt ? describeApiTokenExpiry(expiresAt, now) : null;
  return (
    <span className="connect-connected__method">
      {' '}
      (API token{expiry ? `, ${expiry.label.charAt(0).toLowerCase()}${expiry.label.slice(1)}` : ''})
      {expiry?.soon ? <StatusBadge tone="warning">Expires soon: create a new token</StatusBadge> : null}
    </span>
  );
}

function AuthorizePanel({
  result,
  name,
  runnerName,
  outcome,
  onConnect,
  onContinueInThisTab,
  onTokenConnected,
}: {
  result: CheckAuthenticationResponse;
  name: string;
  runnerName: string;
  outcome: ConnectState;
  onConnect: () => void;
  onContinueInThisTab: () => void;
  onTokenConnected: (message: string) => void;
}) {
  const headingId = useId();
  const scopeReasons = scopeReasonsOf(result.scmId);
  const again = Boolean(result.reauthorizeReason) || outcome.status === 'failed';
  // An API token that expired or was revoked sends the developer straight back to the token form.
  const tokenAgain = result.method === 'api_token' && Boolean(result.reauthorizeReason);
  const [usingToken, setUsingToken] = useState(tokenAgain);
  const supportsPat = result.supportsPat;
  const providerId = result.scmId !== null && isScmProviderId(result.scmId) ? result.scmId : null;
  if (supportsPat && providerId && (usingToken || !result.authorizeUrl)) {
    return (
      <section className="authorize-panel" aria-labelledby={headingId}>
        <h2 id={headingId} className="authorize-panel__title">
          Authorize {name}
        </h2>
        <ApiTokenForm
          runnerId={result.runnerId}
          host={result.host}
          supportsPat={supportsPat}
          providerId={providerId}
          providerName={name}
          reason={tokenAgain ? result.reauthorizeReason : null}
          onConnected={onTokenConnected}
          onCancel={result.authorizeUrl ? () => setUsingToken(false) : undefined}
          focusOnOpen={usingToken && !tokenAgain}
        />
      </section>
    );
  }
  return (
    <section className="authorize-panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="authorize-panel__title">
        Authorize {name}
      </h2>
      {result.reauthorizeReason ? (
        <div className="callout callout--warning">
          <p className="callout__title">Your {name} connection needs to be made again.</p>
          <p>{result.reauthorizeReason}</p>
        </div>
      ) : null}
      <p>
        {runnerName} works with {name} as you: it reads the repository, its branches and pull
        requests, and clones and pushes with your account. Your token stays on the runner; it
        never reaches Runner Console.
      </p>
      <div>
        <p className="authorize-panel__scopes-title" id={`${headingId}-scopes`}>
          Access requested on {name}
        </p>
        <ul className="scope-list" aria-labelledby={`${headingId}-scopes`}>
          {result.requiredScopes.map((scope) => (
            <li key={scope}>
              <code>{scope}</code>
              {scopeReasons.get(scope) ? (
                <span className="muted"> — {scopeReasons.get(scope)}</span>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      {outcome.status === 'blocked' ? (
        <div className="form-alert" role="alert">
          <p className="callout__title">Your browser blocked the popup.</p>
          <p>
            Allow popups for this site and click {again ? 'Connect again' : 'Connect'}, or continue in
            this tab: you come back to this page afterwards.
          </p>
          <div className="authorize-panel__actions">
            <Button variant="secondary" onClick={onContinueInThisTab}>
              Continue in this tab
            </Button>
          </div>
        </div>
      ) : null}
      <div className="authorize-panel__actions">
        <Button variant="primary" onClick={onConnect} pending={outcome.status === 'waiting'}>
          {again ? 'Connect again' : 'Connect'}
        </Button>
        {supportsPat ? (
          <Button variant="secondary" onClick={() => setUsingToken(true)}>
            Use {tokenLabelOf(providerId)} instead
          </Button>
        ) : null}
      </div>
    </section>
  );
}

/** Progress and confirmation are announced politely; a failure interrupts. */
function ConnectOutcomeStatus({ outcome, providerName }: { outcome: ConnectState; providerName: string }) {
  return (
    <>
      <div className="connect-outcome" role="status">
        {outcome.status === 'waiting' ? (
          <p className="connect-outcome__waiting">
            <span className="spinner" aria-hidden="true" />
            Waiting for {providerName}… Approve access in the window that opened.
          </p>
        ) : null}
        {outcome.status === 'connected' ? (
          <p className="connect-outcome__success">{outcome.message}</p>
        ) : null}
      </div>
      {outcome.status === 'failed' ? (
        <div className="form-alert" role="alert">
          <p>{outcome.message}</p>
        </div>
      ) : null}
    </>
  );
}

function tokenLabelOf(providerId: ScmProviderId | null): string {
  return apiTokenLabelWithArticle(providerId === null ? undefined : getScmProvider(providerId));
}

function providerName(host: string): string {
  return findScmProviderByHost(host)?.name ?? host;
}

function scopeReasonsOf(scmId: string | null): Map<string, string> {
  if (scmId === null || !isScmProviderId(scmId)) return new Map();
  return new Map((getScmProvider(scmId).oauth?.requiredScopes ?? []).map((s) => [s.scope, s.reason]));
}
