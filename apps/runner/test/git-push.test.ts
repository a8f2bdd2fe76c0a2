import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedContext, RunnerIntegrationConfig } from '@runner-console/contracts';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test-support/emulator-process.ts';
import { loadConfig } from '../src/config.ts';
import { cloneWorkspace } from '../src/git/clone-workspace.ts';
import { cloneTargetFor } from '../src/git/clone-target.ts';
import { endpointsFor } from '../src/providers/provider-endpoints.ts';
import { createEnvironmentCredentials } from '../src/git/environment-credentials.ts';
import { gitCredentialSocketPath, startGitCredentialServer } from '../src/git/git-credential-server.ts';
import { createGitCredentialResolver } from '../src/git/resolve-git-credentials.ts';
import type { IntegrationRegistry } from '../src/integrations/integration-registry.ts';
import { createLogger } from '../src/logger.ts';
import { createAccessTokenProvider } from '../src/tokens/access-token-provider.ts';
import { createTokenCipher } from '../src/tokens/token-cipher.ts';
import { createTokenStore, type TokenStore } from '../src/tokens/token-store.ts';

const run = promisify(execFile);

// An environment's clone pushes with a plain `git push`: its credential helper asks the runner,
// over the runner's local socket and with the environment's own secret, for the user's current token.

let emulator: EmulatorProcess;
let store: TokenStore;
let dataDir: string;
let workspaceDir: string;
let server: Awaited<ReturnType<typeof startGitCredentialServer>>;
let environments: ReturnType<typeof createEnvironmentCredentials>;
let firstAccessToken: string;
let credentialsFor: ReturnType<typeof createGitCredentialResolver>;
/** git as a developer runs it in the workspace: no global config, no terminal to prompt on. */
let gitEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-push-'));
  const home = path.join(dataDir, 'home');
  fs.mkdirSync(home);
  gitEnv = { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  const config = loadConfig({ RUNNER_TOKEN: 'rct_test_token_for_git_push_tests', BITBUCKET_URL: emulator.baseUrl, BITBUCKET_API_URL: emulator.baseUrl, DATA_DIR: dataDir });
  const consumer = await emulator.createConsumer();
  const integration = { id: 'int-1', provider: 'bitbucket' as const, host: 'bitbucket.org', clientId: consumer.key, oauthEnabled: true } as RunnerIntegrationConfig;
  const registry = { get: () => integration, findByHost: () => integration, openSecret: async () => consumer.secret } as unknown as IntegrationRegistry;
  store = createTokenStore(path.join(dataDir, 'runner'), createTokenCipher(path.join(dataDir, 'runner')));
  const tokens = createAccessTokenProvider({ config, store, registry, log: createLogger('silent') });
  const issued = await emulator.obtainTokens(consumer);
  firstAccessToken = issued.access_token;
  store.save({
    userId: 'u1',
    host: 'bitbucket.org',
    integrationId: integration.id,
    clientId: consumer.key,
    accountName: 'Alice',
    accountUsername: 'alice',
    accountUuid: null,
    email: 'alice@acme.test',
    scopes: issued.scope.split(' '),
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: new Date(Date.now() + issued.expires_in * 1000).toISOString(),
  });
  const socketPath = gitCredentialSocketPath(dataDir);
  environments = createEnvironmentCredentials({ dataDir, socketPath });
  credentialsFor = createGitCredentialResolver({ config, registry, tokens });
  server = await startGitCredentialServer({ socketPath, environments, credentialsFor, log: createLogger('silent') });

  const cloneUrl = `${emulator.baseUrl}/acme/widgets.git`;
  const context: ParsedContext = {
    host: 'bitbucket.org',
    owner: 'acme',
    repo: 'widgets',
    cloneUrl,
    kind: 'pullRequest',
    ref: 'feature/login',
    refType: 'branch',
    // The branch head's hash: only checked (hex), a branch clone checks out the branch.
    commit: 'f'.repeat(40),
    pullRequest: { id: 1, title: 'Login', sourceBranch: 'feature/login', targetBranch: 'main' },
    author: { name: 'Alice', email: 'alice@acme.test' },
  };
  const target = cloneTargetFor(endpointsFor(config, { provider: 'bitbucket', host: 'bitbucket.org' }), context);
  const { helperPath } = environments.register({ environmentId: 'env-1', userId: 'u1', integrationId: integration.id, host: 'bitbucket.org', gitHost: target.remote.host, gitProtocol: target.remote.protocol });
  workspaceDir = path.join(dataDir, 'workspaces', 'env-1');
  await cloneWorkspace({ workspaceDir, target, author: context.author, accessToken: issued.access_token, gitUsername: 'x-token-auth', credentialHelper: helperPath });
}, 90_000);

afterAll(async () => {
  await server?.close();
  store?.close();
  await emulator?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function commitAndPush(file: string): Promise<{ ok: boolean; head: string; stderr: string }> {
  fs.writeFileSync(path.join(workspaceDir, file), `${file}\n`);
  await run('git', ['add', file], { cwd: workspaceDir, env: gitEnv });
  await run('git', ['commit', '--quiet', '-m', `Add ${file}`], { cwd: workspaceDir, env: gitEnv });
  const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: workspaceDir, env: gitEnv })).stdout.trim();
  try {
    await run('git', ['push', '--quiet'], { cwd: workspaceDir, env: gitEnv });
    return { ok: true, head, stderr: '' };
  } catch (err) {
    return { ok: false, head, stderr: (err as { stderr: string }).stderr };
  }
}

async function branchHeadAtBitbucket(): Promise<string> {
  const token = store.find('u1', 'int-1')!.accessToken;
  const response = await fetch(`${emulator.baseUrl}/2.0/repositories/acme/widgets/refs/branches/feature%2Flogin`, { headers: { authorization: `Bearer ${token}` } });
  return ((await response.json()) as { target: { hash: string } }).target.hash;
}

function everyFileUnder(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

describe('git push from an environment', () => {
  it('writes no token into .git/config, the remote URL or any file of the workspace or of the helper', async () => {
    const remote = (await run('git', ['remote', 'get-url', 'origin'], { cwd: workspaceDir, env: gitEnv })).stdout.trim();
    expect(remote).toBe(`${emulator.baseUrl}/acme/widgets.git`);
    const config = fs.readFileSync(path.join(workspaceDir, '.git', 'config'), 'utf8');
    expect(config).toContain('helper = ');
    expect(everyFileUnder(workspaceDir)).not.toContain(firstAccessToken);
    expect(everyFileUnder(environments.root)).not.toContain(firstAccessToken);
    expect(fs.statSync(path.join(environments.root, 'env-1', 'secret')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(environments.root, 'env-1')).mode & 0o777).toBe(0o700);
  });

  it('pushes a commit with plain `git push`, and Bitbucket shows it on the branch', async () => {
    const pushed = await commitAndPush('first.txt');
    expect(pushed).toMatchObject({ ok: true });
    expect(await branchHeadAtBitbucket()).toBe(pushed.head);
  });

  it('still pushes after Bitbucket expired the access token (the runner refreshes it for git)', async () => {
    const knob = await emulator.testApi('POST', '/_emulator/tokens/expire', { username: 'alice', kind: 'access' });
    expect(knob.body.expired).toBeGreaterThanOrEqual(1);
    const pushed = await commitAndPush('second.txt');
    expect(pushed).toMatchObject({ ok: true });
    expect(await branchHeadAtBitbucket()).toBe(pushed.head);
    expect(store.find('u1', 'int-1')!.accessToken).not.toBe(firstAccessToken);
  });

  it('refuses a request without the environment’s secret, and one for another host', async () => {
    // The wire format of git's credential-cache client, which the helper uses.
    const ask = (secret: string, host: string) =>
      new Promise<string>((resolve, reject) => {
        const child = execFile('git', ['credential-cache', '--socket', server.socketPath, 'get'], { env: gitEnv }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
        child.stdin!.end(`environment=env-1\nsecret=${secret}\nprotocol=http\nhost=${host}\n\n`);
      });
    const wrong = await ask('x'.repeat(43), new URL(emulator.baseUrl).host);
    expect(wrong).toMatch(/^runner-console-error=.*not known to the runner/);
    expect(wrong).not.toContain('password=');
    const secret = fs.readFileSync(path.join(environments.root, 'env-1', 'secret'), 'utf8').trim();
    const elsewhere = await ask(secret, 'evil.example:443');
    expect(elsewhere).toMatch(/^runner-console-error=.*evil\.example/);
    expect(elsewhere).not.toContain('password=');
    const right = await ask(secret, new URL(emulator.baseUrl).host);
    expect(right).toMatch(/^username=x-token-auth\npassword=\S{100,}\n$/);
  });

  it('says so when the runner is not running', async () => {
    await server.close();
    try {
      const pushed = await commitAndPush('while-runner-down.txt');
      expect(pushed.ok).toBe(false);
      expect(pushed.stderr).toContain('Runner Console: the runner that holds your connection to the provider cannot be reached');
      // The helper never lets git's cache client start a daemon of its own on the runner's socket.
      expect(fs.existsSync(server.socketPath)).toBe(false);
    } finally {
      server = await startGitCredentialServer({ socketPath: server.socketPath, environments, credentialsFor, log: createLogger('silent') });
    }
    const pushed = await commitAndPush('runner-back.txt');
    expect(pushed).toMatchObject({ ok: true });
  });

  it('fails with a clear message once the user has disconnected', async () => {
    const token = store.findSummary('u1', 'int-1')!;
    expect(store.deleteForUser('u1', token.id)).toBe(true);
    const pushed = await commitAndPush('third.txt');
    expect(pushed.ok).toBe(false);
    expect(pushed.stderr).toContain('Runner Console: Your Bitbucket account is no longer connected on this runner');
    expect(pushed.stderr).toContain('Connect Bitbucket again');
  });
});
