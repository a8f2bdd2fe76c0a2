import type { Runner } from '@runner-console/contracts';
import { Link } from 'react-router';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { RUNNER_KIND_LABELS } from '../runner-labels.ts';
import { NotReported } from './not-reported.tsx';
import { RunnerPhaseBadge } from './runner-phase-badge.tsx';

export function RunnersTable({
  runners,
  orgName,
}: {
  runners: Runner[];
  orgName?: string | undefined;
}) {
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">
          {orgName ? `Runners of ${orgName}` : 'Runners'}
        </caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Phase</th>
            <th scope="col">Version</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {runners.map((runner) => (
            <tr key={runner.id}>
              <th scope="row" className="table__name">
                <Link to={`/settings/runners/${encodeURIComponent(runner.id)}`}>{runner.name}</Link>
              </th>
              <td data-label="Kind">{RUNNER_KIND_LABELS[runner.kind]}</td>
              <td data-label="Phase">
                <RunnerPhaseBadge phase={runner.phase} />
              </td>
              <td data-label="Version">{runner.version ? <code>{runner.version}</code> : <NotReported />}</td>
              <td data-label="Last seen">
                {runner.lastSeenAt ? (
                  <RelativeTime iso={runner.lastSeenAt} />
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
