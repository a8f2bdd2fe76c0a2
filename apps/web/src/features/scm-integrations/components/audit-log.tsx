import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ErrorPanel } from '../../../components/ui/error-panel.tsx';
import { LoadingStatus } from '../../../components/ui/loading-status.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import { describeAuditEntry } from '../integration-labels.ts';

const FIRST_ENTRIES = 10;

/** Who changed what on this runner and when, newest first. Secrets are never in it. */
export function AuditLog({ runnerId, headingId }: { runnerId: string; headingId: string }) {
  const log = useInfiniteQuery(scmIntegrationQueries.auditLog(runnerId));
  const [showAll, setShowAll] = useState(false);

  if (!log.data) {
    if (log.isError) {
      return (
        <ErrorPanel
          title="The audit log could not be loaded"
          message={log.error.message}
          onRetry={() => void log.refetch()}
          retrying={log.isFetching}
        />
      );
    }
    return <LoadingStatus>Loading the audit log…</LoadingStatus>;
  }

  const entries = log.data.pages.flatMap((page) => page.entries);
  if (entries.length === 0) return <p className="muted">No changes recorded yet.</p>;
  const shown = showAll ? entries : entries.slice(0, FIRST_ENTRIES);
  const more = log.hasNextPage ? 'more' : '';

  return (
    <>
      <div className="table-wrap">
        <table className="table table--stack audit-log" aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.id}>
                <td data-label="When">
                  <RelativeTime iso={entry.at} />
                </td>
                <td data-label="Who">
                  {entry.actor ?? <span className="muted">Runner Console</span>}
                </td>
                <td className="audit-log__what" data-label="What">
                  {describeAuditEntry(entry)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {entries.length > FIRST_ENTRIES || log.hasNextPage ? (
        <p className="audit-log__more">
          <Button variant="ghost" onClick={() => setShowAll((current) => !current)}>
            {showAll ? 'Show the latest only' : `Show all ${entries.length}${more ? '+' : ''} entries`}
          </Button>
          {showAll && log.hasNextPage ? (
            <Button
              variant="ghost"
              onClick={() => void log.fetchNextPage()}
              disabled={log.isFetchingNextPage}
              aria-busy={log.isFetchingNextPage}
            >
              {log.isFetchingNextPage ? 'Loading older entries…' : 'Load older entries'}
            </Button>
          ) : null}
        </p>
      ) : null}
      {log.isFetchNextPageError ? (
        <p role="alert" className="form-alert">
          Older entries could not be loaded: {log.error?.message} Use “Load older entries” to try
          again; the entries above stay.
        </p>
      ) : null}
    </>
  );
}
