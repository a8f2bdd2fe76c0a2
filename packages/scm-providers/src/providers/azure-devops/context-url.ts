// Azure DevOps links, read as its pages write them. Cases: context-url-cases.json (with the forms
// of Gitpod's azure-devops context-parser spec).
//   https://dev.azure.com/{org}/{project}/_git/{repo}                repository
//   https://dev.azure.com/{org}/_git/{repo}                          the project has the repository's name
//   …/_git/{repo}?version=GB{branch}|GT{tag}|GC{commit}[&path=/x]    branch, tag or commit
//   …/_git/{repo}/commit/{sha}[?refName=refs/heads/{branch}]         commit (with the branch it was viewed on)
//   …/_git/{repo}/pullrequest/{id}                                   pull request
//   https://{org}.visualstudio.com/[DefaultCollection/]{project}/_git/{repo}   the legacy host
//   https://{server}/{collection…}/{project}/_git/{repo}             Azure DevOps Server
// https://learn.microsoft.com/en-us/azure/devops/repos/git/clone (the clone URL is the page's URL)
import { FULL_COMMIT_PATTERN, isValidBranchName, isValidTagName } from '../../git-ref-name.ts';
import type { ContextUrl, ContextUrlBase, ContextUrlResult, ProviderLink } from '../../provider-module.ts';

export const azureDevopsExampleUrl = 'https://dev.azure.com/organization/project/_git/repository';
const EXAMPLE = `Paste a link like ${azureDevopsExampleUrl}.`;
export const CLOUD_HOST = 'dev.azure.com';

// Organization names: letters, digits and hyphens, not starting or ending with a hyphen (at most
// 50). Project and repository names: at most 64 characters, none of \ / : * ? " < > | # % and not
// starting with _ or . (https://learn.microsoft.com/en-us/azure/devops/organizations/settings/naming-restrictions).
const ORGANIZATION = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,48}[A-Za-z0-9])?$/;
const NAME_CHARACTERS = /^[^\\/:*?"<>|#%]{1,64}$/;
const hasControlCharacter = (name: string) => Array.from(name).some((char) => char < ' ' || char === '\x7f');
const isName = (name: string) => NAME_CHARACTERS.test(name) && !/^[_.]/.test(name) && !hasControlCharacter(name);
const PULL_REQUEST = /^[1-9][0-9]{0,9}$/;

/** `{org}.visualstudio.com` is the legacy host of organization {org} on dev.azure.com. */
export function readLegacyAzureDevopsHost(hostname: string): { host: string; leadingSegments: string[] } | null {
  const match = /^([a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?)\.visualstudio\.com$/.exec(hostname.toLowerCase());
  if (!match || match[1] === 'app' || match[1] === 'www') return null;
  return { host: CLOUD_HOST, leadingSegments: [match[1]!] };
}

export function parseAzureDevopsContextLink(link: ProviderLink): ContextUrlResult {
  let segments = [...link.segments];
  // Old VSTS links carried the collection: {org}.visualstudio.com/DefaultCollection/{project}/…
  if (link.host === CLOUD_HOST && segments[1]?.toLowerCase() === 'defaultcollection') segments = [segments[0]!, ...segments.slice(2)];
  const at = segments.findIndex((segment) => segment.toLowerCase() === '_git');
  if (at < 0) return notARepository(link.host, segments.length === 0 ? 'names no organization or repository' : 'does not point into a repository (…/_git/repository)');
  if (at === 0) return notARepository(link.host, 'names no organization');
  const repo = segments[at + 1];
  if (repo === undefined) return notARepository(link.host, 'names no repository after _git');
  // dev.azure.com: one organization segment; Azure DevOps Server: the collection path may have more.
  const cloud = link.host === CLOUD_HOST;
  const before = segments.slice(0, at);
  if (cloud && before.length > 2) return notARepository(link.host, 'has more than an organization and a project before _git');
  const [prefix, project] = before.length === 1 ? [before, repo] : [before.slice(0, -1), before[before.length - 1]!];
  if (cloud && !ORGANIZATION.test(prefix[0]!)) return notARepository(link.host, 'has an organization name that Azure DevOps does not allow');
  if (!isName(project) || !isName(repo) || prefix.some((segment) => !isName(segment))) {
    return notARepository(link.host, 'has a project or repository name with characters Azure DevOps does not allow');
  }
  const repositoryPath = [...prefix, project, repo];
  const base: ContextUrlBase = { provider: 'azure-devops', host: link.host, repositoryPath, owner: repositoryPath.slice(0, -1).join('/'), repo };
  const [section, value] = segments.slice(at + 2);
  const path = link.query.get('path');
  const withPath = (context: ContextUrl): ContextUrl => (path && path !== '/' ? { ...context, path: path.replace(/^\/+/, '') } : context);
  switch (section?.toLowerCase()) {
    case undefined:
      return readVersion(base, link.query.get('version'), withPath);
    case 'commit': {
      if (value === undefined || !FULL_COMMIT_PATTERN.test(value)) return notARepository(link.host, 'does not name a commit (40 hexadecimal digits)');
      const refName = link.query.get('refName');
      const branch = refName?.startsWith('refs/heads/') ? refName.slice('refs/heads/'.length) : undefined;
      return found({ ...base, kind: 'commit', commit: value.toLowerCase(), ...(branch && isValidBranchName(branch) ? { branch } : {}) });
    }
    case 'pullrequest':
      if (value === undefined || !PULL_REQUEST.test(value)) return notARepository(link.host, 'does not name a pull request');
      return found({ ...base, kind: 'pullRequest', pullRequestId: Number(value) });
    default:
      // Branches, commits, pull requests lists, tags, …: the repository (or the version it shows).
      return readVersion(base, link.query.get('version'), withPath);
  }
}

/** `?version=GBfeature/login` (branch), `GTv1.0` (tag), `GC{sha}` (commit); anything else: the repository. */
function readVersion(base: ContextUrlBase, version: string | null, withPath: (context: ContextUrl) => ContextUrl): ContextUrlResult {
  if (version === null || version === '') return found(withPath({ ...base, kind: 'repository' }));
  const kind = version.slice(0, 2).toUpperCase();
  const name = version.slice(2);
  if (kind === 'GB') return isValidBranchName(name) ? found(withPath({ ...base, kind: 'branch', branch: name })) : notARepository(base.host, 'names a branch that git does not allow');
  if (kind === 'GT') return isValidTagName(name) ? found(withPath({ ...base, kind: 'tag', tag: name })) : notARepository(base.host, 'names a tag that git does not allow');
  if (kind === 'GC') return FULL_COMMIT_PATTERN.test(name) ? found(withPath({ ...base, kind: 'commit', commit: name.toLowerCase() })) : notARepository(base.host, 'does not name a commit (40 hexadecimal digits)');
  return notARepository(base.host, `has a version (${version.slice(0, 40)}) that is not a branch (GB…), tag (GT…) or commit (GC…)`);
}

function notARepository(host: string, detail: string): Extract<ContextUrlResult, { ok: false }> {
  return { ok: false, reason: 'not_a_repository', message: `That Azure DevOps link ${detail}. ${EXAMPLE}`, host };
}

function found(context: ContextUrl): ContextUrlResult {
  return { ok: true, context };
}
