import type { PullRequest, Repository } from '../store/repository-store.ts';
import type { User } from '../store/user-store.ts';
import type { ApiLinks } from './api-links.ts';
import { renderedMarkdown } from './commit-json.ts';
import { fullNameOf, repositorySummaryJson } from './repository-json.ts';
import { userSummaryJson } from './user-json.ts';
import type { BitbucketPullRequest } from '@runner-console/scm-providers/bitbucket-schema';

/**
 * Bitbucket abbreviates the commit hashes inside a pull request's source and destination to 12
 * characters; resolve them with `GET …/commit/{hash}` when the full hash is needed.
 */
const PULL_REQUEST_HASH_LENGTH = 12;

export interface PullRequestHeads {
  /** Current head of the source branch, or undefined if the branch is gone. */
  source: string | undefined;
  destination: string | undefined;
}

/** `GET /2.0/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}`. */
export function pullRequestJson(
  links: ApiLinks,
  repository: Repository,
  pullRequest: PullRequest,
  author: User,
  heads: PullRequestHeads,
): BitbucketPullRequest {
  const fullName = fullNameOf(repository);
  const api = (path: string) =>
    links.api(`/repositories/${fullName}/pullrequests/${pullRequest.number}${path}`);
  const endpoint = (branch: string, head: string | undefined) => ({
    branch: { name: branch },
    // A deleted branch has no commit; Atlassian's schema has no null here, so it is left out.
    ...(head === undefined ? {} : { commit: shortCommitJson(links, repository, head) }),
    repository: repositorySummaryJson(links, repository),
  });
  return {
    comment_count: 0,
    task_count: 0,
    type: 'pullrequest',
    id: pullRequest.number,
    title: pullRequest.title,
    rendered: {
      title: renderedMarkdown(pullRequest.title),
      description: renderedMarkdown(pullRequest.description),
    },
    state: pullRequest.state,
    draft: false,
    close_source_branch: false,
    author: userSummaryJson(links, author),
    reason: '',
    created_on: pullRequest.createdOn,
    updated_on: pullRequest.updatedOn,
    destination: endpoint(pullRequest.destinationBranch, heads.destination),
    source: endpoint(pullRequest.sourceBranch, heads.source),
    reviewers: [],
    participants: [],
    links: {
      self: api(''),
      html: links.site(`/${fullName}/pull-requests/${pullRequest.number}`),
      commits: api('/commits'),
      approve: api('/approve'),
      diff: api('/diff'),
      diffstat: api('/diffstat'),
      comments: api('/comments'),
      activity: api('/activity'),
      merge: api('/merge'),
      decline: api('/decline'),
    },
    summary: renderedMarkdown(pullRequest.description),
  };
}

function shortCommitJson(links: ApiLinks, repository: Repository, hash: string) {
  const short = hash.slice(0, PULL_REQUEST_HASH_LENGTH);
  return { hash: short };
}
