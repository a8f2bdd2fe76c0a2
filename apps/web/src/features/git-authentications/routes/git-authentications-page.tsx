import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { formatDateTime } from '../../../lib/format-time.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { gitAuthenticationQueries } from '../api/git-authentication-queries.ts';
import { useGitAuthenticationLiveUpdates } from '../api/use-git-authentication-live-updates.ts';
import { providerNameOfHost } from '../git-authentication-labels.ts';
import { GitAuthenticationsTable } from '../components/git-authentications-table.tsx';
import '../../../styles/connect.css';

/** Settings › Git authentications: the signed-in user's own connections, on every runner. */
export function GitAuthenticationsPage() {
  useDocumentTitle('Git authentications');
  const query = useQuery(gitAuthenticationQueries.list());
  useGitAuthenticationLiveUpdates();
  const data = query.data;
  const isEmpty = data?.authentications.length === 0;

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
              : `replaced the ${provider} OAuth app`;
        return (
          <div key={ended.runnerId} className="callout callout--info" role="note">
            <p className="callout__title">
              An admin {what} on {ended.runnerName} ({formatDateTime(ended.at)}).
            </p>
            <p>
              Any {provider} connection you had on {ended.runnerName} was deleted with it. Connect
              again the next time you <Link to="/environments/new">create an environment</Link>.
            </p>
          </div>
        );
      })}

      {isEmpty ? (
        <EmptyState
          title="No connections yet"
          action={<Link to="/environments/new">Create an environment</Link>}
        >
          <p>You connect your Bitbucket account the first time you create an environment.</p>
        </EmptyState>
      ) : null}

      {data && !isEmpty ? (
        <GitAuthenticationsTable
          authentications={data.authentications}
          appAuthorizationsUrl={data.appAuthorizationsUrl}
        />
      ) : null}
    </div>
  );
}
