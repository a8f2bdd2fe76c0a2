import { Bitbucket } from 'bitbucket';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { createConsumer, obtainTokens } from './oauth-flow.ts';

// A real third-party client, bitbucket.js (the `bitbucket` npm package), against the emulator: it
// builds Bitbucket's URLs itself, sends the token as Bearer, and pages with `next`.

let emulator: RunningEmulator;
let client: InstanceType<typeof Bitbucket>;

beforeAll(async () => {
  emulator = await startEmulator();
  const tokens = await obtainTokens(emulator.baseUrl, await createConsumer(emulator.baseUrl));
  client = new Bitbucket({
    baseUrl: `${emulator.baseUrl}/2.0`,
    auth: { token: tokens.access_token },
    notice: false,
  });
});

afterAll(async () => {
  await emulator.close();
});

describe('the bitbucket npm package against the emulator', () => {
  it('reads the signed-in user and their e-mail addresses', async () => {
    const { data: user, status } = await client.user.get({});
    expect(status).toBe(200);
    expect(user).toMatchObject({ type: 'user', display_name: 'Alice', nickname: 'alice' });
    expect(user.account_id).toMatch(/^557058:/);
    const { data: emails } = await client.user.listEmails({});
    expect(emails.values?.[0]).toMatchObject({ email: 'alice@acme.test', is_primary: true });
  });

  it('reads the repository, a branch, a commit and the pull request', async () => {
    const path = { workspace: 'acme', repo_slug: 'widgets' };
    const { data: repository } = await client.repositories.get(path);
    expect(repository).toMatchObject({
      type: 'repository',
      full_name: 'acme/widgets',
      mainbranch: { name: 'main' },
    });
    const { data: branch } = await client.refs.getBranch({ ...path, name: 'feature/login' });
    const hash = branch.target?.hash ?? '';
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    const { data: commit } = await client.commits.get({ ...path, commit: hash });
    expect(commit).toMatchObject({ type: 'commit', hash });
    const { data: pullRequest } = await client.pullrequests.get({ ...path, pull_request_id: 1 });
    expect(pullRequest).toMatchObject({
      type: 'pullrequest',
      id: 1,
      state: 'OPEN',
      source: { branch: { name: 'feature/login' } },
    });
  });

  it('pages through the branches with its own next-page helper, until `next` is gone', async () => {
    const names: string[] = [];
    let page = await client.refs.listBranches({
      workspace: 'acme',
      repo_slug: 'widgets',
      pagelen: 1,
    });
    names.push(...(page.data.values ?? []).map((b) => b.name ?? ''));
    while (client.hasNextPage(page.data)) {
      page = await client.getNextPage(page.data);
      names.push(...(page.data.values ?? []).map((b) => b.name ?? ''));
    }
    expect(names).toEqual(['feature/login', 'main']);
    expect(page.data).not.toHaveProperty('next');
  });

  it('surfaces Bitbucket’s error shape through its HTTPError', async () => {
    const failure = await client.repositories
      .get({ workspace: 'acme', repo_slug: 'nothing' })
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({
      name: 'HTTPError',
      status: 404,
      error: { type: 'error', error: { message: 'Repository acme/nothing not found' } },
    });
  });
});
