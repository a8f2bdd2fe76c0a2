import { Gitlab } from '@gitbeaker/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, startEmulator, type RunningEmulator } from './gitlab-harness.ts';

let emulator: RunningEmulator;
let api: InstanceType<typeof Gitlab>;

beforeAll(async () => {
  emulator = await startEmulator();
  const token = await createToken(emulator.baseUrl, { username: 'alice', scopes: ['read_user', 'read_api', 'read_repository', 'write_repository'], expiresAt: '2030-01-31' });
  api = new Gitlab({ host: emulator.baseUrl, token });
});

afterAll(async () => {
  await emulator.close();
});

interface GitbeakerError {
  cause?: { response?: { status: number }; description?: string };
}

// GitLab's own client library, against the emulator as against gitlab.com or a self-managed instance.
describe('@gitbeaker/rest against the GitLab emulator', () => {
  it('reads the current user with the commit e-mail, and the token’s own record', async () => {
    const user = await api.Users.showCurrentUser();
    expect(user).toMatchObject({ id: 1, username: 'alice', name: 'Alice', email: 'alice@acme.test', commit_email: 'alice@acme.test', state: 'active' });
    const self = await api.PersonalAccessTokens.show();
    expect(self).toMatchObject({ scopes: ['read_user', 'read_api', 'read_repository', 'write_repository'], active: true, revoked: false, expires_at: '2030-01-31', user_id: 1 });
  });

  it('reads projects by path, nested groups included, and a branch with a slash and a commit', async () => {
    const widgets = await api.Projects.show('acme/widgets');
    expect(widgets).toMatchObject({ path_with_namespace: 'acme/widgets', default_branch: 'main', http_url_to_repo: `${emulator.baseUrl}/acme/widgets.git`, visibility: 'private' });
    const tools = await api.Projects.show('acme/platform/tools');
    expect(tools).toMatchObject({ path_with_namespace: 'acme/platform/tools', namespace: { full_path: 'acme/platform', kind: 'group' } });
    const branch = await api.Branches.show('acme/widgets', 'feature/login');
    expect(branch).toMatchObject({ name: 'feature/login', can_push: true, commit: { title: 'Add login form', author_email: 'alice@acme.test' } });
    const commit = await api.Commits.show('acme/widgets', branch.commit.id as string);
    expect(commit).toMatchObject({ id: branch.commit.id, author_name: 'Alice', authored_date: '2024-01-10T14:00:00.000+00:00' });
    expect(commit.parent_ids).toHaveLength(1);
    const tag = await api.Tags.show('acme/widgets', 'v1.0.0');
    expect(tag.commit.id).toBe((commit.parent_ids as string[])[0]);
  });

  it('reads merge requests: the subgroup project’s own, and a fork’s with its source project', async () => {
    const own = await api.MergeRequests.show('acme/platform/tools', 1);
    expect(own).toMatchObject({ iid: 1, state: 'opened', source_branch: 'feature/lint', target_branch: 'main', source_project_id: own.target_project_id });
    const fromFork = await api.MergeRequests.show('acme/widgets', 2);
    expect(fromFork).toMatchObject({ iid: 2, source_branch: 'fix/typo' });
    const source = await api.Projects.show(fromFork.source_project_id as number);
    expect(source).toMatchObject({ path_with_namespace: 'bob/widgets', forked_from_project: { path_with_namespace: 'acme/widgets' } });
    const forkBranch = await api.Branches.show(source.id, 'fix/typo');
    expect(fromFork.sha).toBe(forkBranch.commit.id);
  });

  it('pages with x-next-page and the Link header', async () => {
    const first = await api.Branches.all('acme/widgets', { perPage: 1, maxPages: 1, showExpanded: true });
    expect(first.data).toHaveLength(1);
    expect(first.paginationInfo).toMatchObject({ next: 2, total: 2, totalPages: 2, perPage: 1 });
    const all = await api.Branches.all('acme/widgets', { perPage: 1 });
    expect(all.map((branch) => branch.name)).toEqual(['feature/login', 'main']);
    const keyset = await fetch(`${emulator.apiUrl}/projects/acme%2Fwidgets/merge_requests?per_page=1`, { headers: { authorization: `Bearer ${await createToken(emulator.baseUrl, { username: 'alice', scopes: ['read_api'] })}` } });
    expect(keyset.headers.get('x-next-page')).toBe('2');
    expect(keyset.headers.get('link')).toContain('rel="next"');
    const mergeRequests = await api.MergeRequests.all({ projectId: 'acme/widgets', perPage: 1 });
    expect(mergeRequests.map((mr) => mr.iid)).toEqual([1, 2]);
  });

  it('answers GitLab’s errors: 401 Unauthorized, 404 Project Not Found, 403 insufficient_scope', async () => {
    const stranger = new Gitlab({ host: emulator.baseUrl, token: 'glpat-unknown0000000000000' });
    const unauthorized = (await stranger.Users.showCurrentUser().catch((error: unknown) => error)) as GitbeakerError;
    expect(unauthorized.cause?.response?.status).toBe(401);
    expect(unauthorized.cause?.description).toBe('401 Unauthorized');

    const missing = (await api.Projects.show('acme/gadgets').catch((error: unknown) => error)) as GitbeakerError;
    expect(missing.cause?.response?.status).toBe(404);
    expect(missing.cause?.description).toBe('404 Project Not Found');

    const bobToken = await createToken(emulator.baseUrl, { username: 'bob', scopes: ['read_api'] });
    const bob = new Gitlab({ host: emulator.baseUrl, token: bobToken });
    const hidden = (await bob.Projects.show('acme/platform/tools').catch((error: unknown) => error)) as GitbeakerError;
    expect(hidden.cause?.response?.status).toBe(404);

    const userOnly = new Gitlab({ host: emulator.baseUrl, token: await createToken(emulator.baseUrl, { username: 'alice', scopes: ['read_user'] }) });
    expect(await userOnly.Users.showCurrentUser()).toMatchObject({ username: 'alice' });
    const narrow = (await userOnly.Projects.show('acme/widgets').catch((error: unknown) => error)) as GitbeakerError;
    expect(narrow.cause?.response?.status).toBe(403);
  });
});
