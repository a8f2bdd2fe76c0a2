import type { OrgAuditEntry } from '@runner-console/contracts';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { auditLogQueries } from '../api/audit-log-queries.ts';
import { describeOrgEntry } from '../describe-org-entry.ts';

/** Settings › Audit log (admins): the organization's events and every runner's, newest first. */
export function AuditLogPage({
  canView,
  describeRunnerEntry,
}: {
  canView: boolean;
  /** Words for a runner's entries, from the feature that records them (wired by the router). */
  describeRunnerEntry: (entry: Pick<OrgAuditEntry, 'action' | 'target' | 'details'>) => string;
}) {
  useDocumentTitle('Audit log');
  const log = useInfiniteQuery({ ...auditLogQueries.org(), enabled: canView });
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <p className="page-header__eyebrow">Settings</p>
          <h1>Audit log</h1>
          <p className="page-header__lead">
            Who changed what, newest first: set-up, invitations, roles, removals and password
            resets, and every runner's changes. Secrets are never in it.
          </p>
        </div>
      </header>
      {!canView ? (
        <EmptyState title="Only admins see the audit log">
          Ask an admin of your organization.
        </EmptyState>
      ) : !log.data ? (
        log.isError ? (
          <ErrorPanel
            title="The audit log could not be loaded"
            message={log.error.message}
            onRetry={() => void log.refetch()}
            retrying={log.isFetching}
          />
        ) : (
          <LoadingStatus>Loading the audit log…</LoadingStatus>
        )
      ) : entries.length === 0 ? (
        <EmptyState title="Nothing recorded yet" />
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table--stack audit-log">
              <caption className="visually-hidden">Audit log</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Where</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td data-label="When">
                      <RelativeTime iso={entry.at} />
                    </td>
                    <td data-label="Who">
                      {entry.actor ?? <span className="muted">Runner Console</span>}
                    </td>
                    <td className="audit-log__what" data-label="What">
                      {describeOrgEntry(entry) ?? describeRunnerEntry(entry)}
                    </td>
                    <td data-label="Where">
                      {entry.runnerId === null ? (
                        'Organization'
                      ) : entry.runnerName ? (
                        <Link to={`/settings/runners/${entry.runnerId}`}>{entry.runnerName}</Link>
                      ) : (
                        <span className="muted">A deleted runner</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {log.hasNextPage ? (
            <p>
              <Button onClick={() => void log.fetchNextPage()} pending={log.isFetchingNextPage}>
                {log.isFetchingNextPage ? 'Loading older entries…' : 'Load older entries'}
              </Button>
            </p>
          ) : null}
          {log.isFetchNextPageError ? (
            <p role="alert" className="form-alert">
              Older entries could not be loaded: {log.error?.message} Use “Load older entries” to
              try again.
            </p>
          ) : null}
        </>
      )}
    </div>
  );
}
