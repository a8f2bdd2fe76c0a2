import type { BitbucketContext } from '@runner-console/scm-providers';
import type { Environment, ParsedContext } from '@runner-console/contracts';
import type { StatusTone } from '../../components/ui/status-badge.tsx';

export const ENVIRONMENT_PHASE_BADGES: Record<Environment['phase'], { tone: StatusTone; label: string }> = {
  creating: { tone: 'info', label: 'Creating…' },
  cloning: { tone: 'info', label: 'Cloning…' },
  ready: { tone: 'success', label: 'Ready' },
  failed: { tone: 'danger', label: 'Failed' },
};

/** What a typed URL points at, before the runner resolves it: "Pull request #1 in acme/widgets". */
export function describeRecognizedContext(context: BitbucketContext): string {
  const repository = `${context.owner}/${context.repo}`;
  switch (context.kind) {
    case 'pullRequest':
      return `Pull request #${context.pullRequestId ?? '?'} in ${repository}`;
    case 'branch':
      return `Branch ${context.path ? `${context.branch}/${context.path}` : context.branch} in ${repository}`;
    case 'commit':
      return `Commit ${context.commit?.slice(0, 12)} in ${repository}`;
    case 'repository':
      return `Repository ${repository} (its default branch)`;
  }
}

/** A branch by name, a commit by its short hash. */
export function formatRef(context: ParsedContext): string {
  return context.refType === 'commit' ? context.ref.slice(0, 12) : context.ref;
}

export function formatAuthor(author: ParsedContext['author']): string {
  return author.email ? `${author.name} <${author.email}>` : author.name;
}
