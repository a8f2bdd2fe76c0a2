import type { Environment } from '@runner-console/contracts';
import { findScmProviderByHost, pullRequestName } from '@runner-console/scm-providers';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { formatAuthor, formatRef } from '../environment-labels.ts';

export function EnvironmentDetails({ environment }: { environment: Environment }) {
  const { context } = environment;
  const wording = context ? findScmProviderByHost(context.host)?.pullRequestWording : undefined;
  return (
    <dl className="details">
      {context ? (
        <>
          <div className="details__row">
            <dt>Repository</dt>
            <dd>
              {context.owner}/{context.repo}
              <span className="cell-secondary">{context.host}</span>
            </dd>
          </div>
          <div className="details__row">
            <dt>{context.refType === 'commit' ? 'Commit' : context.refType === 'tag' ? 'Tag' : 'Branch'}</dt>
            <dd>
              <code>{formatRef(context)}</code>
            </dd>
          </div>
          {context.pullRequest ? (
            <div className="details__row">
              <dt>{pullRequestName(findScmProviderByHost(context.host))}</dt>
              <dd>
                {wording?.numberPrefix ?? '#'}
                {context.pullRequest.id} {context.pullRequest.title}
                <span className="cell-secondary">
                  {context.pullRequest.sourceBranch} → {context.pullRequest.targetBranch}
                </span>
              </dd>
            </div>
          ) : null}
          {context.refType !== 'commit' && context.commit ? (
            <div className="details__row">
              <dt>Commit</dt>
              <dd>
                <code title={context.commit}>{context.commit.slice(0, 12)}</code>
              </dd>
            </div>
          ) : null}
          <div className="details__row">
            <dt>Git author</dt>
            <dd>{formatAuthor(context.author)}</dd>
          </div>
        </>
      ) : null}
      <div className="details__row">
        <dt>Runner</dt>
        <dd>{environment.runnerName}</dd>
      </div>
      <div className="details__row">
        <dt>Context URL</dt>
        <dd>
          <code className="break">{environment.contextUrl}</code>
        </dd>
      </div>
      <div className="details__row">
        <dt>Workspace</dt>
        <dd>
          {environment.workspacePath ? (
            <code className="break workspace-path">{environment.workspacePath}</code>
          ) : (
            <span className="muted">Not reported yet (the runner reports it when it starts cloning)</span>
          )}
          <span className="cell-secondary">on the runner’s machine</span>
        </dd>
      </div>
      <div className="details__row">
        <dt>Created</dt>
        <dd>
          <RelativeTime iso={environment.createdAt} />
        </dd>
      </div>
    </dl>
  );
}
