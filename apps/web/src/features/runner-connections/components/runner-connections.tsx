import { useQuery } from '@tanstack/react-query';
import type { RunnerConnection } from '@runner-console/contracts';
import { useEffect } from 'react';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { formatDateTime } from '../../../lib/format-time.ts';
import { runnerConnectionQueries } from '../api/runner-connection-queries.ts';
import { providerNameOf } from '../connection-labels.ts';
import { RevokeConnectionButton } from './revoke-connection-dialog.tsx';
// The connection tables' shared look (scopes, secondary lines), as on Git authentications.
import '../../../styles/connect.css';

/**
 * Runner › Connections (admins): every developer's provider connection on this runner, read from
 * the runner itself (it owns the tokens; none is ever sent). Offline, the runner cannot be asked.
 */
export function RunnerConnections({ runner }: { runner: { id: string; name: string; phase: string } }) {
  const online = runner.phase === 'active' || runner.phase === 'degraded';
  const connections = useQuery(runnerConnectionQueries.list(runner.id));
  const { refetch } = connections;
  // The runner came back: ask it again.
  useEffect(() => {
    if (online) void refetch();
  }, [online, refetch]);

  if (connections.isPending) return <LoadingStatus>Asking the runner for its connections…</LoadingStatus>;

  if (connections.isError) {
    const offline = isApiRequestError(connections.error) && connections.error.code === 'runner_offline';
    return (
      <ErrorPanel
        title={offline ? 'The runner is offline' : 'The connections could not be loaded'}
        message={
          offline
            ? `${runner.name} holds the developers’ tokens, so its connections can be listed and revoked only while it is connected. Start it (or check its network); this list loads again when it is back.`
            : connections.error.message
        }
        onRetry={() => void refetch()}
        retrying={connections.isFetching}
      />
    );
  }

  const list = connections.data.connections;
  if (list.length === 0) {
    return (
      <EmptyState title="No developer has connected on this runner yet">
        <p>
          When a developer connects their account (Connect, or an API token), the connection shows
          here with its scopes and expiry, and you can revoke it.
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">Developers’ connections on {runner.name}</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Provider</th>
            <th scope="col">Method</th>
            <th scope="col">Scopes</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((connection) => (
            <ConnectionRow key={connection.id} runner={runner} connection={connection} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ConnectionRow({ runner, connection }: { runner: { id: string; name: string }; connection: RunnerConnection }) {
  return (
    <tr>
      <th scope="row" className="table__name">
        {connection.userName ?? <span className="muted">Former member</span>}
        {connection.userEmail ? <span className="cell-secondary">{connection.userEmail}</span> : null}
      </th>
      <td data-label="Provider">
        {providerNameOf(connection.host)}
        <span className="cell-secondary">{connection.host}</span>
        <span className="cell-secondary">
          {connection.accountName}
          {connection.accountUsername ? ` (@${connection.accountUsername})` : ''}
        </span>
      </td>
      <td data-label="Method">
        {connection.method === 'api_token' ? 'API token' : 'OAuth'}
        {connection.needsReauthorization ? <StatusBadge tone="warning">Needs re-authorization</StatusBadge> : null}
      </td>
      <td data-label="Scopes">
        {connection.scopes.length ? (
          <span className="scopes">
            {connection.scopes.map((scope) => (
              <code key={scope}>{scope}</code>
            ))}
          </span>
        ) : (
          <span className="muted">None reported</span>
        )}
      </td>
      <td data-label="Expires">
        {connection.expiresAt ? (
          <time dateTime={connection.expiresAt}>{formatDateTime(connection.expiresAt)}</time>
        ) : (
          'Does not expire'
        )}
        {connection.method === 'oauth' && connection.expiresAt ? (
          <span className="cell-secondary">Renews itself on use</span>
        ) : null}
      </td>
      <td data-label="Last used">
        {connection.lastUsedAt ? <RelativeTime iso={connection.lastUsedAt} /> : <span className="muted">Not used yet</span>}
        <span className="cell-secondary">
          Connected <RelativeTime iso={connection.connectedAt} />
        </span>
      </td>
      <td className="table__actions">
        <RevokeConnectionButton runnerId={runner.id} runnerName={runner.name} connection={connection} />
      </td>
    </tr>
  );
}
