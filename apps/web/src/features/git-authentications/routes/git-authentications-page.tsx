import { scmProviders } from '@runner-console/scm-providers';
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { formatDateTime } from '../../../lib/format-time.ts';
import { hostAuthenticationQueries } from '../../../lib/host-authentication-query.ts';
import { runnerListQuery } from '../../../lib/runner-list-query.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { gitAuthenticationQueries } from '../api/git-authentication-queries.ts';
import { useGitAuthenticationLiveUpdates } from '../api/use-git-authentication-live-updates.ts';
import { providerNameOfHost } from '../git-authentication-labels.ts';
import { GitAuthenticationsTable } from '../components/git-authentications-table.tsx';
import '../../../styles/connect.css';

/** What the page hands to the Connect slot (filled by the connect feature, wired in the router). */
export interface ConnectSlotProps {
  runnerId: string;
  runnerName: string;
  runnerPublicUrl: string | null;
  host: string;
  providerName: string;
  returnTo: string;
  onConnected: (message: string) => void;
}

const RETURN_TO = '/settings/git-authentications';

/** Settings › Git authentications: the signed-in user's own connections, on every runner. */
export function GitAuthenticationsPage({
  connectAction,
}: {
  connectAction: (props: ConnectSlotProps) => ReactNode;
}) {
  useDocumentTitle('Git authentications');
  const query = useQuery(gitAuthenticationQueries.list());
  useGitAuthenticationLiveUpdates();
  const data = query.data;
  const isEmpty = data?.authentications.length === 0;
  const connectable = useConnectableHosts();
  const queryClient = useQueryClient();
  const toast = useToast();
  const onConnected = useCallback(
    (message: string) => {
      toast({ title: message, tone: 'success' });
      void queryClient.invalidateQueries({ queryKey: gitAuthenticationQueries.list().queryKey });
    },
    [toast, queryClient],
  );

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Settings</p>
          <h1>Git authentications</h1>
          <p className="page-header__lead">
            Your connections to source control. Each one lives on a runner, which keeps the token;
            it never reaches Runner Console.
          </p>
        </div>
      </header>

      <QueryState query={query} loading="Loading your connections…" errorTitle="Your connections could not be loaded" />

      {data && data.unreachableRunners.length > 0 ? (
        <div className="callout callout--warning" role="note">
          <p className="callout__title">Some runners could not be asked</p>
          <p>
            {data.unreachableRunners.map((r) => r.name).join(', ')}{' '}
            {data.unreachableRunners.length === 1 ? 'is' : 'are'} offline, so connections made on{' '}
            {data.unreachableRunners.length === 1 ? 'it' : 'them'} are not listed. They appear
            again when the runner is back.
          </p>
        </div>
      ) : null}

      {data?.endedByAdmin?.map((ended) => {
        const provider = providerNameOfHost(ended.host);
        const what =
          ended.reason === 'integration_deleted'
            ? `removed the ${provider} integration`
            : ended.reason === 'oauth_disabled'
              ? `turned off OAuth for ${provider}`
              : ended.reason === 'revoked_by_admin'
                ? `revoked your ${provider} connection`
                : `replaced the ${provider} OAuth app`;
        return (
          <div key={ended.runnerId} className="callout callout--info" role="note">
            <p className="callout__title">
              An admin {what} on {ended.runnerName} ({formatDateTime(ended.at)}).
            </p>
            <p>
              {ended.reason === 'revoked_by_admin'
                ? `The runner erased your ${provider} token.`
                : `Any ${provider} connection you had on ${ended.runnerName} was deleted with it.`}{' '}
              Connect again below, or when you <Link to="/environments/new">create an environment</Link>.
            </p>
          </div>
        );
      })}

      {isEmpty ? (
        <EmptyState
          title="No connections yet"
          action={<Link to="/environments/new">Create an environment</Link>}
        >
          {connectable.loaded && connectable.items.length === 0 ? (
            <p>
              No runner has an integration you can connect to yet. Ask an admin of your
              organization to add one in Settings › Runners.
            </p>
          ) : (
            <p>
              Connect your account on a runner below, or when you create an environment on a
              runner you have not connected yet.
            </p>
          )}
        </EmptyState>
      ) : null}

      {data && !isEmpty ? (
        <GitAuthenticationsTable
          authentications={data.authentications}
          appAuthorizationsUrl={data.appAuthorizationsUrl}
        />
      ) : null}

      {connectable.items.length > 0 ? (
        <section className="connect-list" aria-labelledby="connect-list-heading">
          <h2 id="connect-list-heading">Connect</h2>
          <p className="muted">
            Runners with an integration you are not connected to. The token stays on the runner.
          </p>
          <ul className="connect-list__items">
            {connectable.items.map((item) => (
              <li key={`${item.runner.id}/${item.host}`} className="connect-list__item">
                <p className="connect-list__name">
                  <strong>{item.providerName}</strong> on {item.runner.name}
                  {item.reauthorizeReason ? (
                    <span className="cell-secondary">{item.reauthorizeReason}</span>
                  ) : null}
                </p>
                {connectAction({
                  runnerId: item.runner.id,
                  runnerName: item.runner.name,
                  runnerPublicUrl: item.runner.publicUrl,
                  host: item.host,
                  providerName: item.providerName,
                  returnTo: RETURN_TO,
                  onConnected,
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/**
 * Every active runner and provider host the user may connect to and is not connected to (or must
 * connect again), from CheckAuthenticationForHost: it says which integrations exist.
 */
function useConnectableHosts() {
  const runners = useQuery(runnerListQuery());
  const active = runners.data?.runners.filter((runner) => runner.phase === 'active') ?? [];
  // Providers with a cloud host; a self-hosted one's hosts come from its integrations.
  const providers = scmProviders.filter((provider) => provider.supported && provider.defaultHost !== '');
  const pairs = active.flatMap((runner) =>
    providers.map((provider) => ({ runner, host: provider.defaultHost, providerName: provider.name })),
  );
  const checks = useQueries({
    queries: pairs.map((pair) => hostAuthenticationQueries.check(pair.runner.id, pair.host)),
  });
  const items = pairs.flatMap((pair, index) => {
    const result = checks[index]?.data;
    if (!result?.integrationAvailable) return [];
    if (result.authenticated && !result.reauthorizeReason) return [];
    return [{ ...pair, reauthorizeReason: result.reauthorizeReason }];
  });
  const loaded = runners.isSuccess && checks.every((check) => !check.isPending);
  return { items, loaded };
}
