// Microsoft's own client, azure-devops-node-api, against the Azure DevOps emulator: resource-area
// and location negotiation, then repository, refs (with continuation-token paging), commits and a
// pull request, with a personal access token as Microsoft's client sends it.
import * as azdev from 'azure-devops-node-api';
import { PullRequestStatus } from 'azure-devops-node-api/interfaces/GitInterfaces.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from './harness.ts';

describe('azure-devops-node-api against the emulator', () => {
  let emulators: RunningEmulators;
  let git: Awaited<ReturnType<azdev.WebApi['getGitApi']>>;

  beforeAll(async () => {
    emulators = await startEmulators();
    const created = await emulators.testApi('/_emulator/personal-access-tokens', { username: 'alice', organization: 'acme', scopes: ['vso.code_write'], expiresAt: '2099-01-01' });
    expect(created.status).toBe(201);
    const connection = new azdev.WebApi(`${emulators.devopsUrl}/acme`, azdev.getPersonalAccessTokenHandler(created.body.token as string));
    git = await connection.getGitApi();
  });
  afterAll(() => emulators.close());

  it('reads the repository with its default branch and clone URL', async () => {
    const repository = await git.getRepository('widgets', 'widgets');
    expect(repository).toMatchObject({ name: 'widgets', defaultBranch: 'refs/heads/main', project: { name: 'widgets' } });
    expect(repository.remoteUrl).toBe(`${emulators.devopsUrl}/acme/widgets/_git/widgets`);
  });

  it('lists branch refs, and follows the continuation token one ref at a time', async () => {
    const refs = await git.getRefs('widgets', 'widgets', 'heads/');
    expect(refs.map((ref) => ref.name)).toEqual(['refs/heads/feature/login', 'refs/heads/main']);
    const first = await fetch(`${emulators.devopsUrl}/acme/widgets/_apis/git/repositories/widgets/refs?filter=heads/&$top=1&api-version=7.1`, { headers: { authorization: `Basic ${Buffer.from(`:${await newToken()}`).toString('base64')}` } });
    const token = first.headers.get('x-ms-continuationtoken');
    expect(((await first.json()) as { value: unknown[] }).value).toHaveLength(1);
    expect(token).toBeTruthy();
  });

  it('reads a commit and the history of a branch', async () => {
    const [main] = await git.getRefs('widgets', 'widgets', 'heads/main');
    const commit = await git.getCommit(main!.objectId!, 'widgets', 'widgets');
    expect(commit).toMatchObject({ commitId: main!.objectId, comment: 'Add widget registry', author: { name: 'Alice', email: 'alice@acme.test' } });
    const history = await git.getCommits('widgets', { itemVersion: { version: 'main' } }, 'widgets');
    expect(history.map((entry) => entry.comment)).toEqual(['Add widget registry', 'Initial commit']);
  });

  it('reads pull request 1 from feature/login into main', async () => {
    const pull = await git.getPullRequestById(1, 'widgets');
    const [head] = await git.getRefs('widgets', 'widgets', 'heads/feature/login');
    expect(pull).toMatchObject({ pullRequestId: 1, status: PullRequestStatus.Active, sourceRefName: 'refs/heads/feature/login', targetRefName: 'refs/heads/main', title: 'Add login form' });
    expect(pull.lastMergeSourceCommit?.commitId).toBe(head!.objectId);
  });

  async function newToken(): Promise<string> {
    return (await emulators.testApi('/_emulator/personal-access-tokens', { username: 'alice', organization: 'acme', scopes: ['vso.code'], expiresAt: '2099-01-01' })).body.token as string;
  }
});
