import type { GitAuthentication } from '@runner-console/contracts';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { describeApiTokenExpiry } from '../../../lib/api-token-expiry.ts';
import { formatDateTime } from '../../../lib/format-time.ts';
import { useNow } from '../../../lib/use-now.ts';
import { describeRenewal, formatExpiry, providerNameOf } from '../git-authentication-labels.ts';
import { DisconnectButton } from './disconnect-dialog.tsx';

export function GitAuthenticationsTable({
  authentications,
  appAuthorizationsUrl,
}: {
  authentications: GitAuthentication[];
  appAuthorizationsUrl: string;
}) {
  const now = useNow();
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">Your Git authentications</caption>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Account</th>
            <th scope="col">Method</th>
            <th scope="col">Scopes</th>
            <th scope="col">Expires</th>
            <th scope="col">Runner</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {authentications.map((authentication) => (
            <tr key={`${authentication.runnerId}/${authentication.id}`}>
              <th scope="row" className="table__name">
                {providerNameOf(authentication)}
                <span className="cell-secondary">{authentication.host}</span>
              </th>
              <td data-label="Account">
                {authentication.accountName}
                {authentication.accountUsername ? (
                  <span className="cell-secondary">@{authentication.accountUsername}</span>
                ) : null}
                {authentication.email ? (
                  <span className="cell-secondary">{authentication.email}</span>
                ) : null}
              </td>
              <td data-label="Method">{authentication.method === 'api_token' ? 'API token' : 'OAuth'}</td>
              <td data-label="Scopes">
                <span className="scopes">
                  {authentication.scopes.map((scope) => (
                    <code key={scope}>{scope}</code>
                  ))}
                </span>
              </td>
              <td data-label="Expires">
                {authentication.method === 'api_token' && authentication.expiresAt ? (
                  <ApiTokenExpiry expiresAt={authentication.expiresAt} now={now} />
                ) : authentication.expiresAt ? (
                  <time dateTime={authentication.expiresAt} title={formatDateTime(authentication.expiresAt)}>
                    {formatExpiry(authentication.expiresAt, now)}
                  </time>
                ) : (
                  formatExpiry(null, now)
                )}
                {describeRenewal(authentication) ? (
                  <span className="cell-secondary">{describeRenewal(authentication)}</span>
                ) : null}
                <span className="cell-secondary">
                  Connected <RelativeTime iso={authentication.connectedAt} />
                </span>
              </td>
              <td data-label="Runner">{authentication.runnerName}</td>
              <td data-label="Status">
                {authentication.needsReauthorization ? (
                  <>
                    <StatusBadge tone="warning">Needs re-authorization</StatusBadge>
                    {authentication.reauthorizeReason ? (
                      <span className="cell-secondary">{authentication.reauthorizeReason}</span>
                    ) : null}
                  </>
                ) : (
                  <StatusBadge tone="success">Connected</StatusBadge>
                )}
              </td>
              <td className="table__actions">
                <DisconnectButton
                  authentication={authentication}
                  appAuthorizationsUrl={appAuthorizationsUrl}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An API token's own expiry (it is not refreshed): the date, flagged within 14 days. */
function ApiTokenExpiry({ expiresAt, now }: { expiresAt: string; now: number }) {
  const expiry = describeApiTokenExpiry(expiresAt, now);
  return (
    <>
      <time dateTime={expiresAt} title={formatDateTime(expiresAt)}>
        {expiry.label}
      </time>
      {expiry.soon ? <StatusBadge tone="warning">Expires soon</StatusBadge> : null}
    </>
  );
}
