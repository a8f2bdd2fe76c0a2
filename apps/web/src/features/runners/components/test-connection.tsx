import { Button } from '../../../components/ui/button.tsx';
import { isApiRequestError } from '../../../lib/api-client.ts';
import { usePingRunner } from '../api/use-ping-runner.ts';

function pingErrorMessage(error: Error): string {
  if (!isApiRequestError(error)) return error.message;
  if (error.code === 'runner_offline' || error.status === 502)
    return 'The runner is offline. Start it and try again.';
  if (error.code === 'runner_timeout' || error.status === 504) {
    return 'The runner did not answer in time. Check that it is running and try again.';
  }
  return error.message;
}

/** Asks the BFF for a round trip over the runner's link and says how it went. */
export function TestConnection({ runnerId }: { runnerId: string }) {
  const ping = usePingRunner(runnerId);

  return (
    <div className="test-connection">
      <Button onClick={() => ping.mutate()} pending={ping.isPending}>
        Test connection
      </Button>
      <div className="test-connection__result" role="status">
        {ping.isPending ? <span className="muted">Testing the connection…</span> : null}
        {ping.isSuccess ? (
          <span className="result result--success">
            Connected. Round trip {Math.round(ping.data.roundTripMs)} ms, runner version{' '}
            {ping.data.runnerVersion}.
          </span>
        ) : null}
        {ping.isError ? (
          <span className="result result--error">{pingErrorMessage(ping.error)}</span>
        ) : null}
      </div>
    </div>
  );
}
