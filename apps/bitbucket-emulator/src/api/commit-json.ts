import type { BranchHead, CommitInfo } from '@runner-console/emulator-kit';
import type { Repository } from '../store/repository-store.ts';
import type { User } from '../store/user-store.ts';
import { escapeHtml } from '@runner-console/emulator-kit';
import type { ApiLinks } from './api-links.ts';
import { fullNameOf, repositorySummaryJson } from './repository-json.ts';
import { userSummaryJson } from './user-json.ts';
import type {
  BitbucketBranch,
  BitbucketCommit,
} from '@runner-console/scm-providers/bitbucket-schema';

/** Maps a commit author's e-mail to a Bitbucket user, as Bitbucket does for `author.user`. */
export type FindUserByEmail = (email: string) => User | undefined;

/** A rendered text (`summary`, `rendered.title`…); Atlassian's schema has no `type` for it. */
export function renderedMarkdown(raw: string) {
  return {
    raw,
    markup: 'markdown' as const,
    html: raw === '' ? '' : `<p>${escapeHtml(raw.trim())}</p>`,
  };
}

export function commitLinks(links: ApiLinks, repository: Repository, hash: string) {
  const fullName = fullNameOf(repository);
  return {
    self: links.api(`/repositories/${fullName}/commit/${hash}`),
    html: links.site(`/${fullName}/commits/${hash}`),
  };
}

/** `GET /2.0/repositories/{workspace}/{repo_slug}/commit/{commit}`, and a branch's `target`. */
export function commitJson(
  links: ApiLinks,
  repository: Repository,
  commit: CommitInfo,
  findUser: FindUserByEmail,
): BitbucketCommit {
  const author = findUser(commit.authorEmail);
  return {
    type: 'commit',
    hash: commit.hash,
    date: commit.date,
    author: {
      type: 'author',
      raw: `${commit.authorName} <${commit.authorEmail}>`,
      ...(author ? { user: userSummaryJson(links, author) } : {}),
    },
    message: commit.message,
    summary: renderedMarkdown(commit.message),
    // Atlassian's schema gives commits no `links`, so the emulator sends none.
    parents: commit.parents.map((hash) => ({ hash, type: 'commit' })),
    repository: repositorySummaryJson(links, repository),
  };
}

/** An entry of `GET …/refs/branches` and the body of `GET …/refs/branches/{name}`. */
export function branchJson(
  links: ApiLinks,
  repository: Repository,
  branch: BranchHead,
  findUser: FindUserByEmail,
): BitbucketBranch {
  const fullName = fullNameOf(repository);
  const encodedName = encodeURIComponent(branch.name);
  return {
    name: branch.name,
    target: commitJson(links, repository, branch.commit, findUser),
    links: {
      self: links.api(`/repositories/${fullName}/refs/branches/${encodedName}`),
      commits: links.api(`/repositories/${fullName}/commits/${encodedName}`),
      html: links.site(`/${fullName}/branch/${encodedName}`),
    },
    type: 'branch',
    merge_strategies: ['merge_commit', 'squash', 'fast_forward'],
    default_merge_strategy: 'merge_commit',
  };
}
