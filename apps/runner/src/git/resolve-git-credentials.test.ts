import { describe, expect, it } from 'vitest';
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import { loadConfig } from '../config.ts';
import type { IntegrationRegistry } from '../integrations/integration-registry.ts';
import type { AccessTokenProvider } from '../tokens/access-token-provider.ts';
import type { EnvironmentCredentialRecord } from './environment-credentials.ts';
import { GitCredentialRefusal } from './git-credential-server.ts';
import { createGitCredentialResolver } from './resolve-git-credentials.ts';

const integration = { id: 'int-1', provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, clientId: 'key' } as RunnerIntegrationConfig;
const registry = { get: () => integration, findByHost: () => integration } as unknown as IntegrationRegistry;

function resolverFor(bitbucketUrl: string) {
  const asked: string[] = [];
  const tokens = {
    getToken: async (userId: string) => {
      asked.push(userId);
      throw new Error('no token in this test');
    },
  } as unknown as AccessTokenProvider;
  const config = loadConfig({ RUNNER_TOKEN: 'rct_resolver_unit_test_token', BITBUCKET_URL: bitbucketUrl, BITBUCKET_API_URL: bitbucketUrl });
  return { credentialsFor: createGitCredentialResolver({ config, registry, tokens }), asked };
}

const record = (gitProtocol: 'https' | 'http', gitHost: string): EnvironmentCredentialRecord => ({
  environmentId: 'env-1',
  userId: 'alice',
  integrationId: 'int-1',
  host: 'bitbucket.org',
  gitHost,
  gitProtocol,
  secretSha256: '00',
});

describe('the git credential resolver', () => {
  it('gives nothing to an environment recorded with a remote other than the configured endpoint', async () => {
    const { credentialsFor, asked } = resolverFor('https://bitbucket.org');
    for (const other of [record('http', 'bitbucket.org'), record('https', '127.0.0.1:19392'), record('https', 'bitbucket.org:8443')]) {
      const refusal = await credentialsFor(other).catch((err: unknown) => err);
      expect(refusal).toBeInstanceOf(GitCredentialRefusal);
      expect((refusal as GitCredentialRefusal).message).toMatch(/address this runner does not use for bitbucket\.org.*Create the environment again/);
    }
    expect(asked).toEqual([]);
  });

  it('looks up the token for the configured remote (https, or http where the endpoint is http)', async () => {
    for (const [url, matching] of [
      ['https://bitbucket.org', record('https', 'bitbucket.org')],
      ['http://localhost:8082', record('http', 'localhost:8082')],
    ] as const) {
      const { credentialsFor, asked } = resolverFor(url);
      await expect(credentialsFor(matching)).rejects.toThrow('no token in this test');
      expect(asked).toEqual(['alice']);
    }
  });
});
