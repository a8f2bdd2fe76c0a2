import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startEmulator, type RunningEmulator } from './github-harness.ts';

let emulator: RunningEmulator;
let octokit: Octokit;

interface RequestError {
  status: number;
  response?: { data: unknown };
}

/** Octokit logs every error answer; these tests expect them. */
const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

beforeAll(async () => {
  emulator = await startEmulator();
  const token = await createToken(emulator.baseUrl, { username: 'alice', type: 'classic', scopes: ['repo', 'read:user', 'user:email'] });
  octokit = new Octokit({ auth: token, baseUrl: emulator.apiUrl, log: quiet });
});

afterAll(async () => {
  await emulator.close();
});

// GitHub's own client, against the emulator as against a GitHub Enterprise Server.
describe('@octokit/rest against the GitHub emulator', () => {
  it('reads the user, the primary verified e-mail and the token scopes', async () => {
    const user = await octokit.rest.users.getAuthenticated();
    expect(user.data).toMatchObject({ login: 'alice', name: 'Alice', type: 'User' });
    expect(user.headers['x-oauth-scopes']).toBe('repo, read:user, user:email');
    const emails = await octokit.rest.users.listEmailsForAuthenticatedUser();
    expect(emails.data.find((email) => email.primary)).toEqual({
      email: 'alice@acme.test',
      primary: true,
      verified: true,
      visibility: 'private',
    });
  });

  it('reads the repository, a branch with a slash, a tag and a commit', async () => {
    const repo = await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(repo.data).toMatchObject({ full_name: 'acme/widgets', private: true, default_branch: 'main', permissions: { push: true, admin: true } });
    expect(repo.data.clone_url).toBe(`${emulator.baseUrl}/acme/widgets.git`);
    const branch = await octokit.rest.repos.getBranch({ owner: 'acme', repo: 'widgets', branch: 'feature/login' });
    expect(branch.data.name).toBe('feature/login');
    expect(branch.data.commit.commit.message).toBe('Add login form');
    const tags = await octokit.rest.repos.listTags({ owner: 'acme', repo: 'widgets' });
    expect(tags.data.map((tag) => tag.name)).toEqual(['v1.0.0']);
    const commit = await octokit.rest.repos.getCommit({ owner: 'acme', repo: 'widgets', ref: branch.data.commit.sha });
    expect(commit.data.commit.author).toMatchObject({ name: 'Alice', email: 'alice@acme.test', date: '2024-01-10T14:00:00Z' });
    expect(commit.data.parents).toHaveLength(1);
    const ref = await octokit.rest.git.getRef({ owner: 'acme', repo: 'widgets', ref: 'tags/v1.0.0' });
    expect(ref.data.object.sha).toBe(commit.data.parents[0]?.sha);
  });

  it("reads pull requests, the fork's head repository included", async () => {
    const own = await octokit.rest.pulls.get({ owner: 'acme', repo: 'widgets', pull_number: 1 });
    expect(own.data).toMatchObject({ number: 1, state: 'open', head: { ref: 'feature/login', repo: { full_name: 'acme/widgets' } }, base: { ref: 'main' } });
    const fromFork = await octokit.rest.pulls.get({ owner: 'acme', repo: 'widgets', pull_number: 2 });
    expect(fromFork.data.head).toMatchObject({ ref: 'fix/typo', label: 'bob:fix/typo', repo: { full_name: 'bob/widgets', fork: true, clone_url: `${emulator.baseUrl}/bob/widgets.git` } });
    const forkBranch = await octokit.rest.repos.getBranch({ owner: 'bob', repo: 'widgets', branch: 'fix/typo' });
    expect(fromFork.data.head.sha).toBe(forkBranch.data.commit.sha);
  });

  it('pages with per_page and the Link header', async () => {
    const first = await octokit.rest.repos.listBranches({ owner: 'acme', repo: 'widgets', per_page: 1 });
    expect(first.data).toHaveLength(1);
    expect(first.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.repos.listBranches, { owner: 'acme', repo: 'widgets', per_page: 1 });
    expect(all.map((branch) => branch.name)).toEqual(['feature/login', 'main']);
    const pulls = await octokit.paginate(octokit.rest.pulls.list, { owner: 'acme', repo: 'widgets', per_page: 1 });
    expect(pulls.map((pull) => pull.number)).toEqual([1, 2]);
  });

  it('answers GitHub errors: 401 Bad credentials and 404 for what a token cannot see', async () => {
    const stranger = new Octokit({ auth: 'ghp_unknown', baseUrl: emulator.apiUrl, log: quiet });
    const badCredentials = await stranger.rest.users.getAuthenticated().catch((error: unknown) => error);
    expect((badCredentials as RequestError).status).toBe(401);
    expect((badCredentials as RequestError).response?.data).toMatchObject({ message: 'Bad credentials' });

    const narrow = await createToken(emulator.baseUrl, {
      username: 'alice',
      type: 'fine-grained',
      repositories: ['acme/widgets'],
      permissions: { contents: 'read' },
      expiresAt: '2030-01-01T00:00:00Z',
    });
    const fineGrained = new Octokit({ auth: narrow, baseUrl: emulator.apiUrl, log: quiet });
    const visible = await fineGrained.rest.repos.get({ owner: 'acme', repo: 'widgets' });
    expect(visible.headers['x-oauth-scopes']).toBeUndefined();
    expect(visible.headers['github-authentication-token-expiration']).toBe('2030-01-01 00:00:00 UTC');
    expect(visible.data.permissions?.push).toBe(false);
    const hidden = await fineGrained.rest.repos.get({ owner: 'bob', repo: 'widgets' }).catch((error: unknown) => error);
    expect((hidden as RequestError).status).toBe(404);
    expect((hidden as RequestError).response?.data).toMatchObject({ message: 'Not Found', documentation_url: expect.stringContaining('docs.github.com') });
    const noPulls = await fineGrained.rest.pulls.get({ owner: 'acme', repo: 'widgets', pull_number: 1 }).catch((error: unknown) => error);
    expect((noPulls as RequestError).status).toBe(403);
  });
});
