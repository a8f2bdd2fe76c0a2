import { getScmProvider, pullRequestLabel, type ContextUrl } from '@runner-console/scm-providers';
import type { Environment, ParsedContext } from '@runner-console/contracts';
import type { StatusTone } from '../../components/ui/status-badge.tsx';

export const ENVIRONMENT_PHASE_BADGES: Record<Environment['phase'], { tone: StatusTone; label: string }> = {
  creating: { tone: 'info', label: 'Creating…' },
  cloning: { tone: 'info', label: 'Cloning…' },
  ready: { tone: 'success', label: 'Ready' },
  failed: { tone: 'danger', label: 'Failed' },
};

/** What a typed URL points at, before the runner resolves it: "Pull request #1 in acme/widgets" (in the provider's words). */
export function describeRecognizedContext(context: ContextUrl): string {
  const repository = context.repositoryPath.join('/');
  switch (context.kind) {
    case 'pullRequest':
      return `${pullRequestLabel(getScmProvider(context.provider), context.pullRequestId)} in ${repository}`;
    case 'branch':
      return `Branch ${context.branch} in ${repository}`;
    case 'tag':
      return `Tag ${context.tag} in ${repository}`;
    case 'ref':
      // The runner finds out which part is the branch or tag name (it may hold slashes).
      return `Branch or tag ${context.refSegments.join('/')} in ${repository}`;
    case 'commit':
      return `Commit ${context.commit.slice(0, 12)}${context.branch ? ` on ${context.branch}` : ''} in ${repository}`;
    case 'repository':
      return `Repository ${repository} (its default branch)`;
  }
}

/** A branch or tag by name, a commit by its short hash. */
export function formatRef(context: ParsedContext): string {
  return context.refType === 'commit' ? context.ref.slice(0, 12) : context.ref;
}

export function formatAuthor(author: ParsedContext['author']): string {
  return author.email ? `${author.name} <${author.email}>` : author.name;
}
