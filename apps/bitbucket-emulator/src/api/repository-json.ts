import type { Repository } from '../store/repository-store.ts';
import { encodePathSegment, type ApiLinks } from './api-links.ts';
import type { BitbucketRepository } from '@runner-console/scm-providers/bitbucket-schema';

export function fullNameOf(repository: Repository): string {
  return `${repository.workspace.slug}/${repository.slug}`;
}

/** A repository as it appears inside other objects (commits, pull requests). */
export function repositorySummaryJson(
  links: ApiLinks,
  repository: Repository,
): BitbucketRepository {
  const fullName = fullNameOf(repository);
  return {
    type: 'repository',
    full_name: fullName,
    links: {
      self: links.api(`/repositories/${fullName}`),
      html: links.site(`/${fullName}`),
      avatar: links.site(`/${fullName}/avatar/32/`),
    },
    name: repository.name,
    uuid: repository.uuid,
  };
}

/**
 * `GET /2.0/repositories/{workspace}/{repo_slug}`. Only the https clone link is listed: the
 * emulator serves no SSH.
 */
export function repositoryJson(
  links: ApiLinks,
  repository: Repository,
  viewerUsername: string | undefined,
): BitbucketRepository {
  const fullName = fullNameOf(repository);
  const api = (path: string) => links.api(`/repositories/${fullName}${path}`);
  const { workspace, project } = repository;
  return {
    type: 'repository',
    full_name: fullName,
    links: {
      self: api(''),
      html: links.site(`/${fullName}`),
      avatar: links.site(`/${fullName}/avatar/32/`),
      pullrequests: api('/pullrequests'),
      commits: api('/commits'),
      forks: api('/forks'),
      watchers: api('/watchers'),
      downloads: api('/downloads'),
      clone: [{ name: 'https', href: links.cloneHttps(fullName, viewerUsername) }],
      hooks: api('/hooks'),
    },
    name: repository.name,
    description: repository.description,
    scm: 'git',
    owner: {
      display_name: workspace.name,
      links: {
        self: links.api(`/workspaces/${encodePathSegment(workspace.uuid)}`),
        avatar: links.site(`/workspaces/${workspace.slug}/avatar/`),
        html: links.site(`/${encodePathSegment(workspace.uuid)}/`),
      },
      type: 'team',
      uuid: workspace.uuid,
    },
    is_private: repository.isPrivate,
    project: {
      type: 'project',
      key: project.key,
      uuid: project.uuid,
      name: project.name,
      links: {
        html: links.site(`/${workspace.slug}/workspace/projects/${project.key}`),
        avatar: links.site(`/workspaces/${workspace.slug}/avatar/`),
      },
    },
    fork_policy: 'no_public_forks',
    created_on: repository.createdOn,
    updated_on: repository.createdOn,
    language: repository.language,
    uuid: repository.uuid,
    mainbranch: { name: repository.mainbranch, type: 'branch' },
    has_issues: false,
    has_wiki: false,
  };
}
