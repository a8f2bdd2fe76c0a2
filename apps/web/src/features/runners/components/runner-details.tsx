import type { Runner } from '@runner-console/contracts';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { formatDateTime } from '../../../lib/format-time.ts';
import { RUNNER_KIND_LABELS } from '../runner-labels.ts';
import { NotReported } from './not-reported.tsx';

export function RunnerDetails({ runner }: { runner: Runner }) {
  return (
    <dl className="details details--columns">
      <div className="details__row">
        <dt>Kind</dt>
        <dd>{RUNNER_KIND_LABELS[runner.kind]}</dd>
      </div>
      <div className="details__row">
        <dt>Version</dt>
        <dd>{runner.version ? <code>{runner.version}</code> : <NotReported />}</dd>
      </div>
      <div className="details__row">
        <dt>Region</dt>
        <dd>{runner.region ?? <NotReported />}</dd>
      </div>
      <div className="details__row">
        <dt>Public URL</dt>
        <dd>
          {runner.publicUrl ? (
            <code className="break">{runner.publicUrl}</code>
          ) : runner.pinnedPublicUrl ? (
            <>
              <code className="break">{runner.pinnedPublicUrl}</code>{' '}
              <span className="muted">(not connected yet)</span>
            </>
          ) : (
            <NotReported />
          )}
        </dd>
      </div>
      {runner.pinnedPublicUrl && runner.pinnedPublicUrl !== runner.publicUrl ? (
        <div className="details__row">
          <dt>Set up with</dt>
          <dd>
            <code className="break">{runner.pinnedPublicUrl}</code>
          </dd>
        </div>
      ) : null}
      <div className="details__row">
        <dt>Key ID</dt>
        <dd>
          {runner.publicKey ? (
            <code className="break">{runner.publicKey.kid}</code>
          ) : (
            <span className="muted">No key registered yet — start the runner</span>
          )}
        </dd>
      </div>
      <div className="details__row">
        <dt>Created</dt>
        <dd>
          <time dateTime={runner.createdAt}>{formatDateTime(runner.createdAt)}</time>
        </dd>
      </div>
      <div className="details__row">
        <dt>Last seen</dt>
        <dd>
          {runner.lastSeenAt ? (
            <RelativeTime iso={runner.lastSeenAt} />
          ) : (
            <span className="muted">Never</span>
          )}
        </dd>
      </div>
    </dl>
  );
}
