import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './emulator-harness.ts';
import {
  bearer,
  createConsumer,
  obtainTokens,
  requestToken,
  setClockOffset,
  type Tokens,
} from './oauth-flow.ts';

let emulator: RunningEmulator;
/** A token with the product's scopes. */
let product: Tokens;
/** A token with the `repository` scope only. */
let repositoryOnly: Tokens;

beforeAll(async () => {
  emulator = await startEmulator();
  product = await obtainTokens(emulator.baseUrl, await createConsumer(emulator.baseUrl));
  repositoryOnly = await obtainTokens(
    emulator.baseUrl,
    await createConsumer(emulator.baseUrl, { permissions: ['repository'] }),
  );
});

afterAll(async () => {
  await emulator.close();
});

async function get(
  path: string,
  token: string = product.access_token,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${emulator.baseUrl}${path}`, {
    headers: { ...bearer(token), ...headers },
  });
  return {
    response,
    body: (await response.json()) as Record<string, unknown> & {
      values?: Array<Record<string, unknown>>;
    },
  };
}

const WIDGETS = '/2.0/repositories/acme/widgets';

describe('GET /2.0/user', () => {
  it('returns the account with the account scope, and names the scopes in headers', async () => {
    const { response, body } = await get('/2.0/user');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-accepted-oauth-scopes')).toBe('account');
    expect(response.headers.get('x-oauth-scopes')).toBe(
      'email, account, repository, repository:write, pullrequest, issue',
    );
    // `username` is gone from Atlassian's schema (and from bitbucket.org): `nickname` replaces it.
    expect(body).not.toHaveProperty('username');
    expect(body).toMatchObject({
      type: 'user',
      display_name: 'Alice',
      nickname: 'alice',
      uuid: expect.stringMatching(/^\{[0-9a-f-]{36}\}$/),
      account_id: expect.stringMatching(/^557058:[0-9a-f-]{36}$/),
      links: {
        avatar: { href: expect.stringContaining('/account/alice/avatar/') },
        html: { href: expect.any(String) },
      },
    });
  });

  it("answers 403 with Bitbucket's body when the account scope is missing", async () => {
    const { response, body } = await get('/2.0/user', repositoryOnly.access_token);
    expect(response.status).toBe(403);
    expect(body).toEqual({
      type: 'error',
      error: {
        message: 'Your credentials lack one or more required privilege scopes.',
        detail: { granted: ['repository'], required: ['account'] },
      },
    });
  });

  it('answers 401 without a token, and for an unknown one', async () => {
    const anonymous = await fetch(`${emulator.baseUrl}/2.0/user`);
    expect(anonymous.status).toBe(401);
    const { response, body } = await get('/2.0/user', 'not-a-token');
    expect(response.status).toBe(401);
    expect(body).toMatchObject({ type: 'error', error: { message: expect.any(String) } });
  });

  it('refuses the token as the access_token query parameter: only the Authorization header counts', async () => {
    const response = await fetch(
      `${emulator.baseUrl}/2.0/user?access_token=${product.access_token}`,
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      type: 'error',
      error: { message: expect.stringContaining('only in the Authorization header') },
    });
  });

  it("has a test knob that expires a user's access tokens at once", async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const tokens = await obtainTokens(emulator.baseUrl, consumer, 'bob');
    expect((await get('/2.0/user', tokens.access_token)).response.status).toBe(200);
    const knob = await fetch(`${emulator.baseUrl}/_emulator/tokens/expire`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bob', kind: 'access' }),
    });
    expect(await knob.json()).toEqual({ expired: 1 });
    const expired = await get('/2.0/user', tokens.access_token);
    expect(expired.body).toEqual({ type: 'error', error: { message: 'Access token expired.' } });
  });

  it('accepts a seeded user’s username and password (emulator convenience)', async () => {
    const response = await fetch(`${emulator.baseUrl}/2.0/user`, {
      headers: { authorization: `Basic ${Buffer.from('bob:bob').toString('base64')}` },
    });
    expect(((await response.json()) as { display_name: string }).display_name).toBe('Bob');
  });
});

describe('GET /2.0/user/emails', () => {
  it('lists the confirmed primary address for a token with account (which implies email)', async () => {
    const { response, body } = await get('/2.0/user/emails');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-accepted-oauth-scopes')).toBe('email');
    expect(body).toMatchObject({
      pagelen: 10,
      page: 1,
      size: 1,
      values: [{ type: 'email', email: 'alice@acme.test', is_primary: true, is_confirmed: true }],
    });
  });

  it('requires the email scope', async () => {
    const { response, body } = await get('/2.0/user/emails', repositoryOnly.access_token);
    expect(response.status).toBe(403);
    expect(body).toMatchObject({ error: { detail: { required: ['email'] } } });
  });

  it('works with a consumer that has only the email permission', async () => {
    const emailOnly = await obtainTokens(
      emulator.baseUrl,
      await createConsumer(emulator.baseUrl, { permissions: ['email'] }),
    );
    expect((await get('/2.0/user/emails', emailOnly.access_token)).response.status).toBe(200);
    expect((await get('/2.0/user', emailOnly.access_token)).response.status).toBe(403);
  });
});

describe('GET /2.0/repositories/{workspace}/{repo_slug}', () => {
  it("returns the repository in Bitbucket's shape", async () => {
    const { response, body } = await get(WIDGETS);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-accepted-oauth-scopes')).toBe('repository');
    const host = new URL(emulator.baseUrl).host;
    expect(body).toMatchObject({
      type: 'repository',
      full_name: 'acme/widgets',
      name: 'widgets',
      is_private: true,
      scm: 'git',
      mainbranch: { name: 'main', type: 'branch' },
      uuid: expect.stringMatching(/^\{.+\}$/),
      owner: { type: 'team', display_name: 'Acme', uuid: expect.stringMatching(/^\{.+\}$/) },
      links: {
        html: { href: `${emulator.baseUrl}/acme/widgets` },
        clone: [{ name: 'https', href: `http://alice@${host}/acme/widgets.git` }],
      },
    });
  });

  it('finds the repository by the uuids of workspace and repository too', async () => {
    const { body } = await get(WIDGETS);
    const workspaceUuid = (body.owner as { uuid: string }).uuid;
    const { response } = await get(
      `/2.0/repositories/${encodeURIComponent(workspaceUuid)}/${encodeURIComponent(String(body.uuid))}`,
    );
    expect(response.status).toBe(200);
  });

  it('answers 404 to a user who cannot see the private repository, and for one that does not exist', async () => {
    const bob = await obtainTokens(emulator.baseUrl, await createConsumer(emulator.baseUrl), 'bob');
    const hidden = await get(WIDGETS, bob.access_token);
    expect(hidden.response.status).toBe(404);
    expect(hidden.body).toEqual({ type: 'error', error: { message: expect.any(String) } });
    expect((await get('/2.0/repositories/acme/nothing')).response.status).toBe(404);
    expect((await fetch(`${emulator.baseUrl}${WIDGETS}`)).status).toBe(404);
  });

  it('requires the repository scope', async () => {
    const accountOnly = await obtainTokens(
      emulator.baseUrl,
      await createConsumer(emulator.baseUrl, { permissions: ['account'] }),
    );
    const { response } = await get(WIDGETS, accountOnly.access_token);
    expect(response.status).toBe(403);
    expect(response.headers.get('x-accepted-oauth-scopes')).toBe('repository');
  });
});

describe('refs/branches', () => {
  it('lists branches with their target commits, paginated', async () => {
    const { response, body } = await get(`${WIDGETS}/refs/branches`);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ pagelen: 10, page: 1, size: 2 });
    expect(body.next).toBeUndefined();
    expect(body.values?.map((branch) => branch.name)).toEqual(['feature/login', 'main']);
    expect(body.values?.[1]).toMatchObject({
      type: 'branch',
      name: 'main',
      target: {
        type: 'commit',
        hash: expect.stringMatching(/^[0-9a-f]{40}$/),
        message: 'Add widget registry\n',
        author: { raw: 'Alice <alice@acme.test>', user: { nickname: 'alice' } },
        parents: [{ hash: expect.stringMatching(/^[0-9a-f]{40}$/) }],
      },
    });
  });

  it('follows next links page by page', async () => {
    const first = await get(`${WIDGETS}/refs/branches?pagelen=1`);
    expect(first.body).toMatchObject({
      pagelen: 1,
      page: 1,
      size: 2,
      values: [{ name: 'feature/login' }],
    });
    const next = new URL(String(first.body.next));
    expect(next.searchParams.get('page')).toBe('2');
    expect(next.searchParams.get('pagelen')).toBe('1');
    const second = await get(`${next.pathname}${next.search}`);
    expect(second.body).toMatchObject({
      page: 2,
      values: [{ name: 'main' }],
      previous: expect.any(String),
    });
    expect(second.body.next).toBeUndefined();
  });

  it('filters by name with q and sorts', async () => {
    const filtered = await get(
      `${WIDGETS}/refs/branches?q=${encodeURIComponent('name ~ "LOGIN"')}`,
    );
    expect(filtered.body.values?.map((branch) => branch.name)).toEqual(['feature/login']);
    const sorted = await get(`${WIDGETS}/refs/branches?sort=-name`);
    expect(sorted.body.values?.map((branch) => branch.name)).toEqual(['main', 'feature/login']);
  });

  it('answers 400 to a bad pagelen or query', async () => {
    expect((await get(`${WIDGETS}/refs/branches?pagelen=0`)).response.status).toBe(400);
    expect((await get(`${WIDGETS}/refs/branches?pagelen=100`)).response.status).toBe(200);
    const tooLong = await get(`${WIDGETS}/refs/branches?pagelen=101`);
    expect(tooLong.response.status).toBe(400);
    expect(tooLong.body).toEqual({
      type: 'error',
      error: { message: 'Invalid pagelen: the maximum is 100.' },
    });
    expect((await get(`${WIDGETS}/refs/branches?q=bogus`)).response.status).toBe(400);
  });

  it('returns a branch whose name contains a slash, encoded or not', async () => {
    const encoded = await get(`${WIDGETS}/refs/branches/feature%2Flogin`);
    const plain = await get(`${WIDGETS}/refs/branches/feature/login`);
    expect(encoded.response.status).toBe(200);
    expect(encoded.body).toMatchObject({
      name: 'feature/login',
      target: { message: 'Add login form\n' },
    });
    expect(plain.body).toEqual(encoded.body);
    expect((await get(`${WIDGETS}/refs/branches/main`)).body).toMatchObject({ name: 'main' });
  });

  it('answers 404 for an unknown branch', async () => {
    const { response, body } = await get(`${WIDGETS}/refs/branches/feature`);
    expect(response.status).toBe(404);
    expect(body).toMatchObject({ type: 'error' });
  });
});

describe('GET …/pullrequests/{id}', () => {
  it('returns pull request #1 from feature/login into main, with 12-character commit hashes', async () => {
    const { response, body } = await get(`${WIDGETS}/pullrequests/1`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-accepted-oauth-scopes')).toBe('pullrequest');
    const branches = await get(`${WIDGETS}/refs/branches`);
    const [login, main] = (branches.body.values ?? []).map(
      (branch) => (branch.target as { hash: string }).hash,
    );
    expect(body).toMatchObject({
      type: 'pullrequest',
      id: 1,
      state: 'OPEN',
      title: 'Add login form',
      author: { nickname: 'alice' },
      source: {
        branch: { name: 'feature/login' },
        commit: { hash: login?.slice(0, 12) },
        repository: { full_name: 'acme/widgets' },
      },
      destination: { branch: { name: 'main' }, commit: { hash: main?.slice(0, 12) } },
      links: { html: { href: `${emulator.baseUrl}/acme/widgets/pull-requests/1` } },
    });
  });

  it('requires the pullrequest scope and answers 404 for an unknown id', async () => {
    const denied = await get(`${WIDGETS}/pullrequests/1`, repositoryOnly.access_token);
    expect(denied.response.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { detail: { required: ['pullrequest'] } } });
    expect((await get(`${WIDGETS}/pullrequests/2`)).response.status).toBe(404);
    expect((await get(`${WIDGETS}/pullrequests/abc`)).response.status).toBe(404);
  });
});

describe('GET …/commit/{hash}', () => {
  it('resolves a full or a short hash', async () => {
    const branch = await get(`${WIDGETS}/refs/branches/main`);
    const hash = (branch.body.target as { hash: string }).hash;
    const full = await get(`${WIDGETS}/commit/${hash}`);
    const short = await get(`${WIDGETS}/commit/${hash.slice(0, 7)}`);
    expect(full.response.status).toBe(200);
    expect(full.body).toMatchObject({
      type: 'commit',
      hash,
      message: 'Add widget registry\n',
      repository: { full_name: 'acme/widgets' },
    });
    expect(short.body).toEqual(full.body);
  });

  it('answers 404 for an unknown hash or a ref name', async () => {
    expect(
      (await get(`${WIDGETS}/commit/0000000000000000000000000000000000000000`)).response.status,
    ).toBe(404);
    expect((await get(`${WIDGETS}/commit/main`)).response.status).toBe(404);
  });
});

describe('token lifetime', () => {
  it('answers 401 for an expired token, and a refreshed token works again', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const tokens = await obtainTokens(emulator.baseUrl, consumer);
    await setClockOffset(emulator.baseUrl, 7201);
    try {
      const expired = await get('/2.0/user', tokens.access_token);
      expect(expired.response.status).toBe(401);
      expect(expired.body).toEqual({ type: 'error', error: { message: 'Access token expired.' } });
      const refreshed = await requestToken(emulator.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      const { access_token: fresh } = (await refreshed.json()) as Tokens;
      expect((await get('/2.0/user', fresh)).response.status).toBe(200);
    } finally {
      await setClockOffset(emulator.baseUrl, 0);
    }
  });

  it('answers 401 and refuses the refresh token after the user revoked the grant', async () => {
    const consumer = await createConsumer(emulator.baseUrl);
    const tokens = await obtainTokens(emulator.baseUrl, consumer);
    const revoke = await fetch(`${emulator.baseUrl}/_emulator/grants/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', consumerKey: consumer.key }),
    });
    expect(revoke.status).toBe(200);
    expect((await get('/2.0/user', tokens.access_token)).response.status).toBe(401);
    const refresh = await requestToken(emulator.baseUrl, consumer, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await get('/2.0/user')).response.status).toBe(200);
  });
});

it('answers unknown API paths with a 404 error body', async () => {
  const { response, body } = await get('/2.0/nothing/here');
  expect(response.status).toBe(404);
  expect(body).toMatchObject({ type: 'error', error: { message: expect.any(String) } });
});
