import type { Environment } from '@runner-console/contracts';
import { Link } from 'react-router';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { formatRef } from '../environment-labels.ts';
import { EnvironmentPhaseBadge } from './environment-phase-badge.tsx';

export function EnvironmentsTable({ environments }: { environments: Environment[] }) {
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">Your environments</caption>
        <thead>
          <tr>
            <th scope="col">Repository</th>
            <th scope="col">Ref</th>
            <th scope="col">Author</th>
            <th scope="col">Runner</th>
            <th scope="col">Phase</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {environments.map((environment) => {
            const { context } = environment;
            return (
              <tr key={environment.id}>
                <th scope="row" className="table__name">
                  <Link to={`/environments/${encodeURIComponent(environment.id)}`}>
                    {context ? `${context.owner}/${context.repo}` : environment.contextUrl}
                  </Link>
                </th>
                <td data-label="Ref">
                  {context ? (
                    <>
                      <code>{formatRef(context)}</code>
                      {context.pullRequest ? (
                        <span className="cell-secondary">PR #{context.pullRequest.id}</span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Author">{context ? context.author.name : <span className="muted">—</span>}</td>
                <td data-label="Runner">{environment.runnerName}</td>
                <td data-label="Phase">
                  <EnvironmentPhaseBadge phase={environment.phase} />
                </td>
                <td data-label="Created">
                  <RelativeTime iso={environment.createdAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
