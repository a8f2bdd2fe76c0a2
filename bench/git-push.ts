import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { ParsedContext, RunnerIntegrationConfig } from '@runner-console/contracts';
import { loadConfig } from '../apps/runner/src/config.ts';
import { cloneWorkspace } from '../apps/runner/src/git/clone-workspace.ts';
import { cloneTargetFor } from '../apps/runner/src/git/clone-target.ts';
import { endpointsFor } from '../apps/runner/src/providers/provider-endpoints.ts';
import { createEnvironmentCredentials } from '../apps/runner/src/git/environment-credentials.ts';
import { gitCredentialSocketPath, startGitCredentialServer } from '../apps/runner/src/git/git-credential-server.ts';
import { createGitCredentialResolver } from '../apps/runner/src/git/resolve-git-credentials.ts';
import type { IntegrationRegistry } from '../apps/runner/src/integrations/integration-registry.ts';
import { createLogger } from '../apps/runner/src/logger.ts';
import { createAccessTokenProvider } from '../apps/runner/src/tokens/access-token-provider.ts';
import { createTokenCipher } from '../apps/runner/src/tokens/token-cipher.ts';
import { createTokenStore } from '../apps/runner/src/tokens/token-store.ts';
import { obtainEmulatorTokens } from '../test-support/emulator-process.ts';
import { createConsumer } from './bench-api.ts';
import type { BenchStack } from './stack.ts';
import { ms, percentile, ratio, type BenchRow } from './stats.ts';

const run = promisify(execFile);

/**
 * `git push` of one new commit from an environment's clone, through its credential helper (sh +
 * curl → the runner's credential socket → the user's token, checked with Bitbucket), against the
 * same push from a clone whose remote URL carries the token (`x-token-auth:{token}@`), as Bitbucket's
 * docs show it. Both push to the stack's emulator; rounds alternate, so load hits both alike. The
 * credential server runs in this process with the runner's own modules and token store.
 */
export async function benchGitPush(stack: BenchStack, rounds: number): Promise<BenchRow[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-push-'));
  const config = loadConfig({ RUNNER_TOKEN: 'rct_bench_token_for_git_push_rows', BITBUCKET_URL: stack.bitbucket, BITBUCKET_API_URL: stack.bitbucket, DATA_DIR: work });
  const consumer = await createConsumer(stack);
  const tokens = await obtainEmulatorTokens(stack.bitbucket, consumer);
  const integration = { id: 'bench-int', host: 'bitbucket.org', clientId: consumer.key, oauthEnabled: true } as RunnerIntegrationConfig;
  const registry = { get: () => integration, findByHost: () => integration, openSecret: async () => consumer.secret } as unknown as IntegrationRegistry;
  const store = createTokenStore(path.join(work, 'runner'), createTokenCipher(path.join(work, 'runner')));
  store.save({
    userId: 'bench-user',
    host: 'bitbucket.org',
    integrationId: integration.id,
    clientId: consumer.key,
    accountName: 'Alice',
    accountUsername: 'alice',
    accountUuid: null,
    email: 'alice@acme.test',
    scopes: tokens.scope.split(' '),
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresAt: new Date(Date.now() + tokens.expires_in * 1000).toISOString(),
  });
  const log = createLogger('silent');
  const socketPath = gitCredentialSocketPath(work);
  const environments = createEnvironmentCredentials({ dataDir: work, socketPath });
  const server = await startGitCredentialServer({
    socketPath,
    environments,
    credentialsFor: createGitCredentialResolver({ config, registry, tokens: createAccessTokenProvider({ config, store, registry, log }) }),
    log,
  });
  const gitEnv = { PATH: process.env.PATH, HOME: work, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  try {
    const cloneUrl = `${stack.bitbucket}/acme/widgets.git`;
    const context: ParsedContext = {
      host: 'bitbucket.org',
      owner: 'acme',
      repo: 'widgets',
      cloneUrl,
      kind: 'branch',
      ref: 'main',
      refType: 'branch',
      // Only checked (hex): a branch clone checks out the branch.
      commit: 'f'.repeat(40),
      pullRequest: null,
      author: { name: 'Alice', email: 'alice@acme.test' },
    };
    const target = cloneTargetFor(endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' }), context);
    const { helperPath } = environments.register({ environmentId: 'bench-env', userId: 'bench-user', integrationId: integration.id, host: 'bitbucket.org', gitHost: target.remote.host, gitProtocol: target.remote.protocol });
    const viaHelper = path.join(work, 'via-helper');
    await cloneWorkspace({ workspaceDir: viaHelper, target, author: context.author, accessToken: tokens.access_token, gitUsername: 'x-token-auth', credentialHelper: helperPath });
    const direct = path.join(work, 'direct');
    await cloneWorkspace({ workspaceDir: direct, target, author: context.author, accessToken: tokens.access_token, gitUsername: 'x-token-auth' });
    const withToken = new URL(cloneUrl);
    withToken.username = 'x-token-auth';
    withToken.password = tokens.access_token;
    await run('git', ['remote', 'set-url', 'origin', withToken.href], { cwd: direct, env: gitEnv });

    async function timedPush(dir: string, branch: string, i: number): Promise<number> {
      await run('git', ['commit', '--quiet', '--allow-empty', '-m', `bench ${branch} ${i}`], { cwd: dir, env: gitEnv });
      const started = performance.now();
      await run('git', ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], { cwd: dir, env: gitEnv });
      return performance.now() - started;
    }
    const helperTimes: number[] = [];
    const directTimes: number[] = [];
    for (let i = 0; i < rounds + 2; i++) {
      const [first, second] = i % 2 === 0 ? (['helper', 'direct'] as const) : (['direct', 'helper'] as const);
      for (const kind of [first, second]) {
        const elapsed = kind === 'helper' ? await timedPush(viaHelper, 'bench/via-helper', i) : await timedPush(direct, 'bench/direct', i);
        if (i >= 2) (kind === 'helper' ? helperTimes : directTimes).push(elapsed); // two warm-up rounds
      }
    }
    const helper50 = percentile(helperTimes, 50);
    const direct50 = percentile(directTimes, 50);
    return [
      {
        benchmark: `7. git push through the credential helper, p50 (n=${helperTimes.length}; p95 ${ms(percentile(helperTimes, 95))})`,
        figure: ms(helper50),
        baseline: `${ms(direct50)} (token in the remote URL, p50; p95 ${ms(percentile(directTimes, 95))})`,
        ratio: ratio(helper50, direct50),
        budget: '≤ 1.2× baseline',
        pass: helper50 <= 1.2 * direct50,
      },
    ];
  } finally {
    await server.close();
    store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
