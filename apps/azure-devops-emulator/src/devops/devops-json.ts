// Azure DevOps REST shapes (api-version 7.1), typed from azure-devops-node-api's interfaces where
// the emulator's answers are checked (test/node-api-client.test.ts). Field names follow
// https://learn.microsoft.com/en-us/rest/api/azure/devops/git/?view=azure-devops-rest-7.1.
import type { CommitInfo } from '@runner-console/emulator-kit';
import type { Repository, User } from '../state.ts';

export function identityRef(origin: string, user: User) {
  return { displayName: user.displayName, url: `${origin}/_apis/Identities/${user.id}`, id: user.id, uniqueName: user.email, imageUrl: `${origin}/_api/_common/identityImage?id=${user.id}`, descriptor: `aad.${Buffer.from(user.id).toString('base64url')}` };
}

export function projectJson(origin: string, repository: Repository) {
  return { id: repository.project.id, name: repository.project.name, url: `${origin}/${repository.organization}/_apis/projects/${repository.project.id}`, state: 'wellFormed', revision: 11, visibility: 'private', lastUpdateTime: '2024-01-08T08:55:00Z' };
}

export function repositoryUrl(origin: string, repository: Repository): string {
  return `${origin}/${repository.organization}/${repository.project.id}/_apis/git/repositories/${repository.id}`;
}

export function webUrl(origin: string, repository: Repository): string {
  return `${origin}/${repository.organization}/${encodeURIComponent(repository.project.name)}/_git/${encodeURIComponent(repository.name)}`;
}

export function repositoryJson(origin: string, repository: Repository) {
  const web = webUrl(origin, repository);
  const host = new URL(origin).host;
  return {
    id: repository.id,
    name: repository.name,
    url: repositoryUrl(origin, repository),
    project: projectJson(origin, repository),
    defaultBranch: `refs/heads/${repository.defaultBranch}`,
    size: 2048,
    remoteUrl: web,
    sshUrl: `git@ssh.${host}:v3/${repository.organization}/${repository.project.name}/${repository.name}`,
    webUrl: web,
    isDisabled: false,
    isInMaintenance: false,
  };
}

export function commitJson(origin: string, repository: Repository, commit: CommitInfo) {
  const person = { name: commit.authorName, email: commit.authorEmail, date: new Date(commit.date).toISOString() };
  return {
    commitId: commit.hash,
    author: person,
    committer: person,
    comment: commit.message.trim(),
    parents: commit.parents,
    url: `${repositoryUrl(origin, repository)}/commits/${commit.hash}`,
    remoteUrl: `${webUrl(origin, repository)}/commit/${commit.hash}`,
  };
}

/** The shape every Azure DevOps REST error has. */
export function errorJson(message: string, typeKey: string) {
  return { $id: '1', innerException: null, message, typeName: `Microsoft.TeamFoundation.Git.Server.${typeKey}, Microsoft.TeamFoundation.Git.Server`, typeKey, errorCode: 0, eventId: 3000 };
}
