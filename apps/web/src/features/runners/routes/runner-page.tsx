import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Runner } from '@runner-console/contracts';
import { useId } from 'react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { runnerFromList } from '../api/runner-cache.ts';
import { runnerQueries } from '../api/runner-queries.ts';
import { RunnerDetails } from '../components/runner-details.tsx';
import { RunnerPhaseBadge } from '../components/runner-phase-badge.tsx';
import { TestConnection } from '../components/test-connection.tsx';
import { RotateKey } from '../components/rotate-key.tsx';
import { PendingKeyBanner } from '../components/pending-key-banner.tsx';
import { RunnerManagement } from '../components/runner-management.tsx';
import '../../../styles/runners.css';

const RUNNERS_PATH = '/settings/runners';

/**
 * One runner: its details, a connection test and its repository access. The composition root
 * passes `repositoryAccess` to fill that section (SCM integrations) and, for admins,
 * `developerConnections` (Runner › Connections), keeping features apart.
 */
export function RunnerPage({
  repositoryAccess,
  developerConnections,
  canManage = false,
}: {
  repositoryAccess?: (runner: Runner) => ReactNode;
  developerConnections?: (runner: Runner) => ReactNode;
  canManage?: boolean;
}) {
  const { runnerId = '' } = useParams();
  const queryClient = useQueryClient();
  const runner = useQuery({
    ...runnerQueries.detail(runnerId),
    placeholderData: () => runnerFromList(queryClient, runnerId),
  });
  useDocumentTitle(runner.data ? runner.data.name : 'Runner');

  if (runner.data)
    return (
      <RunnerView
        runner={runner.data}
        repositoryAccess={repositoryAccess}
        developerConnections={developerConnections}
        canManage={canManage}
      />
    );

  if (runner.isError) {
    if (isApiRequestError(runner.error) && runner.error.status === 404) {
      return (
        <div className="page">
          <Breadcrumb />
          <h1>Runner not found</h1>
          <p>This runner does not exist or belongs to another organization.</p>
          <p>
            <Link to={RUNNERS_PATH}>Back to all runners</Link>
          </p>
        </div>
      );
    }
    return (
      <div className="page">
        <Breadcrumb />
        <h1>Runner</h1>
        <ErrorPanel
          title="This runner could not be loaded"
          message={runner.error.message}
          onRetry={() => void runner.refetch()}
          retrying={runner.isFetching}
        />
      </div>
    );
  }

  return (
    <div className="page">
      <Breadcrumb />
      <LoadingStatus>Loading runner…</LoadingStatus>
    </div>
  );
}

function Breadcrumb({ current }: { current?: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>Settings</li>
        <li>
          <Link to={RUNNERS_PATH}>Runners</Link>
        </li>
        {current ? <li aria-current="page">{current}</li> : null}
      </ol>
    </nav>
  );
}

function RunnerView({
  runner,
  repositoryAccess,
  developerConnections,
  canManage,
}: {
  runner: Runner;
  repositoryAccess?: ((runner: Runner) => ReactNode) | undefined;
  developerConnections?: ((runner: Runner) => ReactNode) | undefined;
  canManage: boolean;
}) {
  const detailsId = useId();
  const developerConnectionsId = useId();
  const connectionId = useId();
  const accessId = useId();
  const manageId = useId();
  const movedFrom =
    runner.publicUrl && runner.pinnedPublicUrl && runner.publicUrl !== runner.pinnedPublicUrl
      ? runner.pinnedPublicUrl
      : null;

  return (
    <div className="page">
      <Breadcrumb current={runner.name} />
      <header className="page-header">
        <div className="page-title">
          <h1>{runner.name}</h1>
          <RunnerPhaseBadge phase={runner.phase} />
        </div>
      </header>

      <PendingKeyBanner runner={runner} canManage={canManage} />

      {movedFrom ? (
        <div className="callout callout--danger" role="alert">
          <p className="callout__title">The runner’s public URL changed</p>
          <p>
            It was set up with <code className="break">{movedFrom}</code> but now reports{' '}
            <code className="break">{runner.publicUrl}</code>. Providers refuse Connect until each
            integration’s OAuth consumer has the new callback URL (see “Callback URL changed”
            below), or until the runner is started again with its original public URL.
          </p>
        </div>
      ) : null}

      {runner.phase === 'created' ? (
        <div className="callout callout--warning" role="status">
          <p className="callout__title">Waiting for the runner’s first connection</p>
          <p>
            {canManage
              ? 'Start it with the command from its set-up. Lost the command or the token? “New token” below gives a new one, with the command.'
              : 'An admin of your organization starts it.'}
          </p>
        </div>
      ) : null}

      <section className="panel" aria-labelledby={detailsId}>
        <h2 id={detailsId}>Details</h2>
        <RunnerDetails runner={runner} />
        {canManage && runner.publicKey ? (
          <RotateKey
            runnerId={runner.id}
            online={runner.phase === 'active' || runner.phase === 'degraded'}
          />
        ) : null}
      </section>

      <section className="panel" aria-labelledby={accessId}>
        <h2 id={accessId}>Configure repository access</h2>
        {repositoryAccess ? (
          repositoryAccess(runner)
        ) : (
          <p className="muted">No repository access configured yet.</p>
        )}
      </section>

      {developerConnections ? (
        <section className="panel" aria-labelledby={developerConnectionsId} id="connections">
          <h2 id={developerConnectionsId}>Connections</h2>
          <p className="muted">
            Every developer’s connection to a provider on this runner. Revoking one erases the token
            on the runner, as the developer’s own Disconnect does.
          </p>
          {developerConnections(runner)}
        </section>
      ) : null}

      <section className="panel" aria-labelledby={connectionId}>
        <h2 id={connectionId}>Connection</h2>
        <p className="muted">
          Sends a request to the runner over its link and measures the round trip.
        </p>
        <TestConnection key={runner.id} runnerId={runner.id} />
      </section>

      <section className="panel" aria-labelledby={manageId}>
        <h2 id={manageId}>Manage</h2>
        {canManage ? (
          <RunnerManagement runner={runner} />
        ) : (
          <p className="muted">Only organization admins can rename, re-token or delete a runner.</p>
        )}
      </section>
    </div>
  );
}
