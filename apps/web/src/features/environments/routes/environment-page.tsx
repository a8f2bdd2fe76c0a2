import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useDeleteEnvironment } from '../api/use-delete-environment.ts';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { environmentQueries } from '../api/environment-queries.ts';
import { EnvironmentDetails } from '../components/environment-details.tsx';
import { EnvironmentPhaseBadge } from '../components/environment-phase-badge.tsx';
import '../../../styles/connect.css';

/** One environment, its phase live from server events. */
export function EnvironmentPage() {
  const { environmentId = '' } = useParams();
  const query = useQuery(environmentQueries.detail(environmentId));
  const environment = query.data;
  const title = environment?.context
    ? `${environment.context.owner}/${environment.context.repo}`
    : 'Environment';
  useDocumentTitle(environment ? title : 'Environment');

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <ol>
          <li>
            <Link to="/environments">Environments</Link>
          </li>
          <li aria-current="page">{environment ? title : 'Environment'}</li>
        </ol>
      </nav>
      <QueryState
        query={query}
        loading="Loading the environment…"
        errorTitle="The environment could not be loaded"
        notFound={{
          title: 'There is no such environment',
          action: <Link to="/environments">Your environments</Link>,
        }}
      />
      {environment ? (
        <>
          <header className="page-header">
            <div>
              <p className="page-header__eyebrow">Environment</p>
              <h1>{title}</h1>
            </div>
            <DeleteEnvironment environmentId={environment.id} title={title} runnerName={environment.runnerName} />
          </header>
          {/* Announced as it changes: Cloning… then Ready. */}
          <p className="environment-phase" role="status">
            <span>Phase:</span>
            <EnvironmentPhaseBadge phase={environment.phase} />
          </p>
          {environment.phase === 'failed' ? (
            <div className="form-alert" role="alert">
              <p>{environment.message ?? 'The runner could not prepare this environment.'}</p>
              <p>
                <Link
                  to={`/environments/new?${new URLSearchParams({
                    contextUrl: environment.contextUrl,
                    runnerId: environment.runnerId,
                  }).toString()}`}
                >
                  Try again with the same URL
                </Link>
              </p>
            </div>
          ) : null}
          <section className="panel" aria-label="Details">
            <EnvironmentDetails environment={environment} />
          </section>
        </>
      ) : null}
    </div>
  );
}

function DeleteEnvironment({
  environmentId,
  title,
  runnerName,
}: {
  environmentId: string;
  title: string;
  runnerName: string;
}) {
  const [open, setOpen] = useState(false);
  const remove = useDeleteEnvironment(environmentId);
  const toast = useToast();
  const navigate = useNavigate();
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete environment
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) remove.reset();
        }}
        title={`Delete ${title}?`}
        confirmLabel="Delete environment"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              setOpen(false);
              toast({ title: `${title} deleted; ${runnerName} removed its workspace.`, tone: 'success' });
              void navigate('/environments');
            },
          })
        }
      >
        <p>
          {runnerName} removes the workspace folder with the clone and everything in it that was
          not pushed.
        </p>
      </ConfirmDialog>
    </>
  );
}
