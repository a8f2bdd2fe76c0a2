import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { environmentQueries } from '../api/environment-queries.ts';
import { EnvironmentsTable } from '../components/environments-table.tsx';
import '../../../styles/connect.css';

/** The user's environments, phases live from server events. */
export function EnvironmentsPage() {
  useDocumentTitle('Environments');
  const environments = useQuery(environmentQueries.list());
  const isEmpty = environments.data?.environments.length === 0;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Environments</h1>
          <p className="page-header__lead">
            Each environment is a clone of a repository on a runner, made with your own account.
          </p>
        </div>
        {environments.data && !isEmpty ? (
          <Link className="button button--primary" to="/environments/new">
            Create an environment
          </Link>
        ) : null}
      </header>

      <QueryState query={environments} loading="Loading environments…" errorTitle="Environments could not be loaded" />
      {isEmpty ? (
        <EmptyState
          title="No environments yet"
          action={
            <Link className="button button--primary" to="/environments/new">
              Create your first environment
            </Link>
          }
        >
          <p>Paste a repository or pull request URL and pick a runner: the runner clones it for you.</p>
        </EmptyState>
      ) : null}
      {environments.data && !isEmpty ? (
        <EnvironmentsTable environments={environments.data.environments} />
      ) : null}
    </div>
  );
}
