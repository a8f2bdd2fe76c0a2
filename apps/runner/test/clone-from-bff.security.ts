import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ParsedContext } from '@runner-console/contracts';
import { buildServicesIfStale, repoRoot, serviceCommand } from '../../../scripts/build-services.mjs';
import { startEmulatorProcess, type EmulatorProcess } from '../../../test-support/emulator-process.ts';
import { check } from '../../../security/support/record-security-row.ts';
import { createTokenCipher } from '../src/tokens/token-cipher.ts';
import { createTokenStore } from '../src/tokens/token-store.ts';

const run = promisify(execFile);

/**
 * Part of `npm run test:security` (row 10): a compromised BFF drives the real runner process (its
 * bundle, as installed) over the runner link and sends `createWorkspace` with whatever context it
 * likes. The runner holds a real token of alice's from the Bitbucket emulator, which its own
 * configuration names as bitbucket.org. Whatever the BFF says, that token may only ever go to the
 * emulator, and nothing the BFF sends may become a git option or a transport.
 */

interface Captured {
  method?: string;
  url?: string;
  authorization?: string;
}

let emulator: EmulatorProcess;
let dataDir: string;
let scratch: string;
let runner: ChildProcess;
let runnerLog = '';
let bff: Awaited<ReturnType<typeof startFakeBff>>;
/** An HTTP server the attacker controls: it records every connection and request it gets. */
let capture: { server: Server; url: string; connections: number; requests: Captured[] };
let accessToken: string;

beforeAll(async () => {
  emulator = await startEmulatorProcess();
  const consumer = await emulator.createConsumer();
  const issued = await emulator.obtainTokens(consumer);
  accessToken = issued.access_token;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-clone-sec-'));
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-clone-sec-scratch-'));

  // Alice's connection, as the runner stores it after Connect.
  const store = createTokenStore(dataDir, createTokenCipher(dataDir));
  store.save({
    userId: 'user-alice',
    host: 'bitbucket.org',
    integrationId: 'int-bitbucket',
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
  store.close();

  const requests: Captured[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization });
    res.writeHead(401, { 'www-authenticate': 'Basic realm="capture"' }).end();
  });
  capture = { server, url: '', connections: 0, requests };
  server.on('connection', () => capture.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  bff = await startFakeBff();
  await buildServicesIfStale(['runner']);
  runner = spawn(process.execPath, serviceCommand('runner'), {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: scratch,
      RUNNER_TOKEN: 'rct_compromised_bff_security_test_token',
      BFF_URL: bff.url,
      RUNNER_PORT: '0',
      RUNNER_DATA_DIR: dataDir,
      BITBUCKET_URL: emulator.baseUrl,
      BITBUCKET_API_URL: emulator.baseUrl,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runner.stdout!.on('data', (d) => (runnerLog += d));
  runner.stderr!.on('data', (d) => (runnerLog += d));
  await bff.connected;
  await bff.request('configure', {
    integrations: [{ id: 'int-bitbucket', provider: 'bitbucket', host: 'bitbucket.org', oauthEnabled: true, patEnabled: false, clientId: consumer.key, clientSecretEnvelope: null }],
  });
}, 120_000);

afterAll(async () => {
  if (runner && runner.exitCode === null) {
    const exited = new Promise((r) => runner.once('exit', r));
    runner.kill('SIGTERM');
    await exited;
  }
  await bff?.close();
  await new Promise((r) => capture?.server.close(r));
  await emulator?.stop();
  for (const dir of [dataDir, scratch]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The BFF side of the runner link, as an attacker who controls the BFF would drive it. */
async function startFakeBff() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  const pending = new Map<string, (message: { ok: boolean; result?: unknown; error?: unknown }) => void>();
  const updates: { environmentId: string; phase: string; message: string | null }[] = [];
  let socket: WebSocket | undefined;
  let onConnected: () => void;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  wss.on('connection', (ws) => {
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'hello') {
        socket = ws;
        ws.send(JSON.stringify({ type: 'welcome', runnerId: 'runner-1', orgId: 'org-1', heartbeatIntervalMs: 10_000 }));
        onConnected();
      } else if (message.type === 'response') {
        pending.get(message.id)?.(message);
      } else if (message.type === 'request') {
        if (message.method === 'environmentUpdate') updates.push(message.params);
        ws.send(JSON.stringify({ type: 'response', id: message.id, ok: true, result: null }));
      }
    });
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connected,
    updates,
    request(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: unknown }> {
      const id = randomUUID();
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket!.send(JSON.stringify({ type: 'request', id, method, params }));
      });
    },
    close: () => new Promise((r) => wss.close(r)),
  };
}

const emulatorUrl = () => `${emulator.baseUrl}/acme/widgets.git`;
const branchHead = 'c'.repeat(40);

function context(overrides: Partial<ParsedContext>): ParsedContext {
  return {
    host: 'bitbucket.org',
    owner: 'acme',
    repo: 'widgets',
    cloneUrl: emulatorUrl(),
    kind: 'branch',
    ref: 'main',
    refType: 'branch',
    commit: branchHead,
    pullRequest: null,
    author: { name: 'Alice', email: 'alice@acme.test' },
    ...overrides,
  };
}

/** Sends createWorkspace and waits for the runner's last word on it: ready or failed. */
async function createWorkspace(environmentId: string, ctx: ParsedContext): Promise<{ phase: string; message: string }> {
  const answer = await bff.request('createWorkspace', { environmentId, userId: 'user-alice', context: ctx });
  expect(answer.ok, JSON.stringify(answer)).toBe(true);
  for (let i = 0; i < 600; i++) {
    const last = bff.updates.filter((u) => u.environmentId === environmentId).at(-1);
    if (last && (last.phase === 'ready' || last.phase === 'failed')) return { phase: last.phase, message: last.message ?? '' };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no final environment update for ${environmentId}; runner log:\n${runnerLog}`);
}

const workspaceOf = (environmentId: string) => path.join(dataDir, 'workspaces', environmentId);

describe('a compromised BFF sends createWorkspace', () => {
  it('for the runner’s own clone URL: the workspace is cloned (the harness works)', async () => {
    const outcome = await createWorkspace('env-own', context({}));
    expect(outcome, runnerLog).toEqual({ phase: 'ready', message: 'Cloned acme/widgets at main.' });
    const { stdout } = await run('git', ['remote', 'get-url', 'origin'], { cwd: workspaceOf('env-own') });
    expect(stdout.trim()).toBe(emulatorUrl());
  });

  it('attack: a foreign http clone URL gets no request, no token, and no network details back', () =>
    check('trust', 'createWorkspace with a foreign clone URL (capture server on 127.0.0.1)', async () => {
      const port = new URL(capture.url).port;
      const outcome = await createWorkspace('env-foreign', context({ cloneUrl: `${capture.url}/acme/widgets.git` }));
      expect(outcome.phase).toBe('failed');
      expect(outcome.message).toMatch(/not the one this runner uses for bitbucket\.org.*contacted nothing/);
      expect(outcome.message).not.toContain('127.0.0.1');
      expect(outcome.message).not.toContain(port);
      expect(capture.connections).toBe(0);
      expect(capture.requests).toEqual([]);
      expect(fs.existsSync(workspaceOf('env-foreign'))).toBe(false);
      expect(runnerLog).not.toContain(accessToken);
    }));

  it('attack: the right host over another scheme or with user info is refused too', () =>
    check('trust', 'createWorkspace with the configured host but another scheme or user info', async () => {
      const site = new URL(emulator.baseUrl);
      for (const cloneUrl of [`https://${site.host}/acme/widgets.git`, `http://x-token-auth@${site.host}/acme/widgets.git`, `git://${site.hostname}/acme/widgets.git`, `${emulatorUrl()}/../../other/repo.git`]) {
        const outcome = await createWorkspace(`env-scheme-${randomUUID().slice(0, 8)}`, context({ cloneUrl }));
        expect(outcome.phase).toBe('failed');
        expect(outcome.message).toContain('contacted nothing');
      }
    }));

  it('attack: an ext:: clone URL runs no command', () =>
    check('trust', 'createWorkspace with an ext:: clone URL', async () => {
      const marker = path.join(scratch, 'ext-ran');
      const outcome = await createWorkspace('env-ext', context({ cloneUrl: `ext::sh -c touch% ${marker}` }));
      expect(outcome.phase).toBe('failed');
      expect(outcome.message).toContain('contacted nothing');
      expect(outcome.message).not.toContain(marker);
      expect(fs.existsSync(marker)).toBe(false);
    }));

  it('attack: a file:// clone URL does not copy a repository on the runner’s machine', () =>
    check('trust', 'createWorkspace with a file:// clone URL', async () => {
      const local = path.join(scratch, 'private-repo');
      await run('git', ['init', '--quiet', '--initial-branch=main', local]);
      fs.writeFileSync(path.join(local, 'secret.txt'), 'the runner machine’s private file\n');
      await run('git', ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '--allow-empty', '-m', 'private'], { cwd: local });
      await run('git', ['add', 'secret.txt'], { cwd: local });
      await run('git', ['-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'secret'], { cwd: local });
      const outcome = await createWorkspace('env-file', context({ cloneUrl: `file://${local}` }));
      expect(outcome.phase).toBe('failed');
      expect(outcome.message).toContain('contacted nothing');
      expect(outcome.message).not.toContain(local);
      expect(fs.existsSync(path.join(workspaceOf('env-file'), 'secret.txt'))).toBe(false);
    }));

  it('attack: owner, repo, ref and commit that try option injection or path steps are refused before git runs', () =>
    check('trust', 'createWorkspace with option injection in owner, repo, ref or commit', async () => {
      const marker = path.join(scratch, 'injected-ran');
      const site = emulator.baseUrl;
      const attempts: [Partial<ParsedContext>, RegExp][] = [
        [{ owner: '--upload-pack=touch', cloneUrl: `${site}/--upload-pack=touch/widgets.git` }, /not a repository owner name/],
        [{ owner: '..', repo: 'widgets', cloneUrl: `${site}/../widgets.git` }, /not a repository owner name/],
        [{ repo: '-oProxyCommand=touch', cloneUrl: `${site}/acme/-oProxyCommand=touch.git` }, /not a repository name/],
        [{ repo: 'widgets.git/../../other', cloneUrl: `${site}/acme/widgets.git/../../other.git` }, /not a repository name/],
        [{ ref: `--upload-pack=touch ${marker}` }, /not a git branch name/],
        [{ ref: '-c' }, /not a git branch name/],
        [{ ref: 'main\n--template=/tmp' }, /not a git branch name/],
        [{ kind: 'commit', refType: 'commit', ref: '--orphan=pwned', commit: '--orphan=pwned' }, /not a git commit hash/],
        [{ kind: 'commit', refType: 'commit', ref: branchHead, commit: `--pathspec-from-file=${marker}` }, /not a git commit hash/],
        [{ commit: '--output=/tmp/x' }, /not a git commit hash/],
      ];
      for (const [overrides, refusal] of attempts) {
        const outcome = await createWorkspace(`env-inject-${randomUUID().slice(0, 8)}`, context(overrides));
        expect(outcome.phase, JSON.stringify(overrides)).toBe('failed');
        expect(outcome.message, JSON.stringify(overrides)).toMatch(refusal);
      }
      expect(fs.existsSync(marker)).toBe(false);
      expect(capture.connections).toBe(0);
    }));
});

describe('the credential channel of a workspace the runner cloned', () => {
  /** A request as the workspace's helper sends it, on the runner's own socket. */
  async function ask(environmentId: string, protocol: string, host: string): Promise<string> {
    const folder = path.join(dataDir, 'git-credentials', environmentId);
    const secret = fs.readFileSync(path.join(folder, 'secret'), 'utf8').trim();
    const helper = fs.readFileSync(path.join(folder, 'helper'), 'utf8');
    const socketPath = /--socket '([^']+)'/.exec(helper)![1]!;
    return new Promise((resolve, reject) => {
      const child = execFile('git', ['credential-cache', '--socket', socketPath, 'get'], { env: { PATH: process.env.PATH } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(`environment=${environmentId}\nsecret=${secret}\nprotocol=${protocol}\nhost=${host}\n\n`);
    });
  }

  it('attack: a request over another protocol than the configured endpoint’s gets no token', () =>
    check('trust', 'credential request with a protocol the configured endpoint does not use (real runner)', async () => {
      const host = new URL(emulator.baseUrl).host;
      // The emulator is configured as http: the same host over https is another remote.
      const wrong = await ask('env-own', 'https', host);
      expect(wrong).toMatch(/^runner-console-error=/);
      expect(wrong).not.toContain('password=');
      expect(wrong).not.toContain(accessToken);
      const right = await ask('env-own', 'http', host);
      expect(right).toMatch(/^username=x-token-auth\npassword=\S+\n$/);
    }));
});
