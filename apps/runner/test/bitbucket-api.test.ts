import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test-support/emulator-process.ts';
import { createBitbucketApi } from '../src/providers/bitbucket/bitbucket-api.ts';
import { loadConfig } from '../src/config.ts';
import { ProviderApiError } from '../src/providers/provider-adapter.ts';
import { endpointsFor } from '../src/providers/provider-endpoints.ts';

let emulator: EmulatorProcess;
let accessToken: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  accessToken = (await emulator.obtainTokens(await emulator.createConsumer())).access_token;
}, 60_000);
afterAll(async () => emulator?.stop());

function apiFor(baseUrl: string, token = accessToken) {
  const config = loadConfig({ RUNNER_TOKEN: 'rct_test_token_for_bitbucket_api', BITBUCKET_URL: baseUrl, BITBUCKET_API_URL: baseUrl, DATA_DIR: os.tmpdir() });
  return createBitbucketApi(endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' }), `Bearer ${token}`);
}

describe('the runner’s Bitbucket client (openapi-fetch, typed from Atlassian’s description)', () => {
  it('reads the account, the repository, a branch and the pull request', async () => {
    const api = apiFor(emulator.baseUrl);
    expect(await api.user()).toMatchObject({ type: 'user', display_name: 'Alice', nickname: 'alice' });
    expect(await api.emails()).toEqual([expect.objectContaining({ email: 'alice@acme.test', is_primary: true })]);
    const repository = await api.repository('acme', 'widgets');
    expect(repository.links?.clone?.[0]?.name).toBe('https');
    expect((await api.branch('acme', 'widgets', 'feature/login')).target?.hash).toMatch(/^[0-9a-f]{40}$/);
    expect((await api.pullRequest('acme', 'widgets', 1)).source?.branch?.name).toBe('feature/login');
  });

  it('follows `next` through every page of a list', async () => {
    const api = apiFor(emulator.baseUrl);
    const names = (await api.branches('acme', 'widgets', 1)).map((branch) => branch.name);
    expect(names).toEqual(['feature/login', 'main']);
  });

  it('maps Bitbucket’s error body to a ProviderApiError with its message', async () => {
    const missing = await apiFor(emulator.baseUrl)
      .repository('acme', 'nothing')
      .catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ProviderApiError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found', message: 'Repository acme/nothing not found' });
    const refused = await apiFor(emulator.baseUrl, 'not-a-token')
      .user()
      .catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('does not follow a `next` link to another origin, where the token would go along', async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers.authorization ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ pagelen: 1, values: [{ type: 'branch', name: 'main' }], next: 'http://127.0.0.1:9/2.0/steal' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const result = await apiFor(`http://127.0.0.1:${port}`)
        .branches('acme', 'widgets')
        .catch((err: unknown) => err);
      expect(result).toMatchObject({ code: 'provider_error', message: expect.stringContaining('another host') });
      expect(seen).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});
