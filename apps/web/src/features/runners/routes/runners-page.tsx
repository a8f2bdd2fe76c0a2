import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { runnerQueries } from '../api/runner-queries.ts';
import { CreateRunnerButton, CreateRunnerDialog } from '../components/create-runner-dialog.tsx';
import type { ConfigureAccessStep } from '../components/create-runner-dialog.tsx';
import { RunnersTable } from '../components/runners-table.tsx';

/** Settings › Runners. Admin actions are not rendered at all for members. */
export function RunnersPage({
  canManageRunners,
  orgName,
  configureAccess,
}: {
  canManageRunners: boolean;
  orgName?: string | undefined;
  /** The set-up's "Configure repository access" step (from the SCM integrations feature). */
  configureAccess?: ConfigureAccessStep;
}) {
  useDocumentTitle('Runners');
  const runners = useQuery(runnerQueries.list());
  const isEmpty = runners.data?.runners.length === 0;

  return (
    <CreateRunnerDialog configureAccess={configureAccess}>
      <div className="page">
        <header className="page-header">
          <div>
            <p className="page-header__eyebrow">Settings</p>
            <h1>Runners</h1>
            <p className="page-header__lead">
              Runners run in your network and reach out to Runner Console. They give it access to
              your source control.
            </p>
          </div>
          {canManageRunners && !isEmpty ? <CreateRunnerButton /> : null}
        </header>

        {canManageRunners ? null : (
          <p className="note">Only organization admins can set up runners.</p>
        )}

        <QueryState query={runners} loading="Loading runners…" errorTitle="Runners could not be loaded" />

        {isEmpty ? (
          <EmptyState
            title="No runners yet"
            action={canManageRunners ? <CreateRunnerButton /> : null}
          >
            <p>
              {canManageRunners
                ? 'Set up a runner to give Runner Console access to your repositories.'
                : 'Ask an organization admin to set up a runner.'}
            </p>
          </EmptyState>
        ) : null}

        {runners.data && !isEmpty ? (
          <RunnersTable runners={runners.data.runners} orgName={orgName} />
        ) : null}
      </div>
    </CreateRunnerDialog>
  );
}
