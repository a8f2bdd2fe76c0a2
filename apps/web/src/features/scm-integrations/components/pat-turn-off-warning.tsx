import { useQuery } from '@tanstack/react-query';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';

/** Before tokens are turned off: how many developers' token connections that deletes (asked of the runner). */
export function PatTurnOffWarning({ runnerId, integrationId }: { runnerId: string; integrationId: string }) {
  const count = useQuery(scmIntegrationQueries.apiTokenConnections(runnerId, integrationId));
  const n = count.data?.count;
  let detail: string;
  if (count.isPending) detail = 'Counting the developers who connected with a token…';
  else if (n === null || n === undefined)
    detail = 'The runner could not be asked how many developers use a token. Their tokens are deleted when it is back online.';
  else if (n === 0) detail = 'No developer has connected with a token yet, so nothing is deleted.';
  else detail = `${n} ${n === 1 ? 'developer has' : 'developers have'} connected with a token. ${n === 1 ? 'That token is' : 'Those tokens are'} deleted from the runner, and ${n === 1 ? 'they' : 'they'} must connect again with OAuth.`;
  return (
    <div className="callout callout--warning" role="note">
      <p className="callout__title">Turning off personal access tokens deletes the tokens developers entered.</p>
      <p>{detail}</p>
    </div>
  );
}
