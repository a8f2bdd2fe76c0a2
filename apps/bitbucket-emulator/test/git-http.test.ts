import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, startEmulator, type RunningEmulator } from './emulator-harness.ts';
import { bearer, createConsumer, obtainTokens, type Tokens } from './oauth-flow.ts';

let emulator: RunningEmulator;
let home: string;
let writer: Tokens;
let reader: Tokens;

beforeAll(async () => {
  emulator = await startEmulator();
  home = makeTempDir('bb-emulator-git-home-');
  writer = await obtainTokens(emulator.baseUrl, await createConsumer(emulator.baseUrl));
  reader = await obtainTokens(
    emulator.baseUrl,
    await createConsumer(emulator.baseUrl, { permissions: ['repository', 'account'] }),
  );
});

afterAll(async () => {
  await emulator.close();
  rmSync(home, { recursive: true, force: true });
});

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real git CLI with an empty HOME, no config and no prompts. */
function git(args: string[], cwd: string = home): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          HOME: home,
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 'Alice',
          GIT_AUTHOR_EMAIL: 'alice@acme.test',
          GIT_COMMITTER_NAME: 'Alice',
          GIT_COMMITTER_EMAIL: 'alice@acme.test',
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function remote(username: string, password: string): string {
  const url = new URL(`${emulator.baseUrl}/acme/widgets.git`);
  url.username = username;
  url.password = password;
  return url.href;
}

let clones = 0;

async function clone(url: string): Promise<{ dir: string; result: GitResult }> {
  clones += 1;
  const dir = path.join(home, `clone-${clones}`);
  return { dir, result: await git(['clone', '--quiet', url, dir]) };
}

describe('git over HTTP', () => {
  it('clones with x-token-auth and an access token, and pushes with repository:write', async () => {
    const { dir, result } = await clone(remote('x-token-auth', writer.access_token));
    expect(result.code).toBe(0);
    expect((await git(['branch', '-r'], dir)).stdout).toContain('origin/feature/login');
    expect((await git(['log', '--format=%s', 'origin/main'], dir)).stdout).toBe(
      'Add widget registry\nInitial commit\n',
    );

    writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n');
    await git(['add', 'CHANGELOG.md'], dir);
    await git(['commit', '--quiet', '-m', 'Add changelog'], dir);
    const push = await git(['push', '--quiet', 'origin', 'HEAD:refs/heads/chore/changelog'], dir);
    expect(push).toMatchObject({ code: 0 });
    const head = (await git(['rev-parse', 'HEAD'], dir)).stdout.trim();

    const branch = await fetch(
      `${emulator.baseUrl}/2.0/repositories/acme/widgets/refs/branches/chore/changelog`,
      {
        headers: bearer(writer.access_token),
      },
    );
    expect(await branch.json()).toMatchObject({
      name: 'chore/changelog',
      target: { hash: head, message: 'Add changelog\n' },
    });
  });

  it('refuses a push without repository:write', async () => {
    const { dir, result } = await clone(remote('x-token-auth', reader.access_token));
    expect(result.code).toBe(0);
    await git(['commit', '--quiet', '--allow-empty', '-m', 'Should not land'], dir);
    const push = await git(['push', 'origin', 'HEAD:refs/heads/not-allowed'], dir);
    expect(push.code).not.toBe(0);
    expect(push.stderr).toContain('403');
    // Bitbucket's own wording for a token without the scope.
    const refs = await fetch(
      `${emulator.baseUrl}/acme/widgets.git/info/refs?service=git-receive-pack`,
      {
        headers: {
          authorization: `Basic ${Buffer.from(`x-token-auth:${reader.access_token}`).toString('base64')}`,
        },
      },
    );
    expect(refs.status).toBe(403);
    expect(await refs.text()).toBe(
      'Your credentials lack one or more required privilege scopes.\n',
    );
    const branches = await fetch(
      `${emulator.baseUrl}/2.0/repositories/acme/widgets/refs/branches?q=${encodeURIComponent('name = "not-allowed"')}`,
      {
        headers: bearer(reader.access_token),
      },
    );
    expect(await branches.json()).toMatchObject({ size: 0 });
  });

  it('refuses a clone without the repository scope', async () => {
    const accountOnly = await obtainTokens(
      emulator.baseUrl,
      await createConsumer(emulator.baseUrl, { permissions: ['account'] }),
    );
    const { result } = await clone(remote('x-token-auth', accountOnly.access_token));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('403');
  });

  it('challenges a request without credentials, or with a bad token, with Bitbucket’s realm', async () => {
    const anonymous = await fetch(
      `${emulator.baseUrl}/acme/widgets.git/info/refs?service=git-upload-pack`,
    );
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Basic realm="Bitbucket.org HTTP"');
    const { result } = await clone(remote('x-token-auth', 'not-a-token'));
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/Authentication failed/);
  });

  it('accepts a seeded user’s password, and hides the repository from bob', async () => {
    expect((await git(['ls-remote', '--heads', remote('alice', 'alice')])).stdout).toContain(
      'refs/heads/main',
    );
    const bob = await git(['ls-remote', remote('bob', 'bob')]);
    expect(bob.code).not.toBe(0);
    expect(bob.stderr).toMatch(/not found/i);
  });

  it('inflates a gzip-encoded request body (protocol v2 ls-refs)', async () => {
    const pktLine = (text: string) => `${(text.length + 4).toString(16).padStart(4, '0')}${text}`;
    const request = `${pktLine('command=ls-refs\n')}0001${pktLine('ref-prefix refs/heads/\n')}0000`;
    const response = await fetch(`${emulator.baseUrl}/acme/widgets.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`x-token-auth:${reader.access_token}`).toString('base64')}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
        'git-protocol': 'version=2',
      },
      body: gzipSync(request),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const refs = await response.text();
    expect(refs).toContain('refs/heads/main');
    expect(refs).toContain('refs/heads/feature/login');
  });

  it('answers 404 for the dumb protocol', async () => {
    const response = await fetch(`${emulator.baseUrl}/acme/widgets.git/HEAD`, {
      headers: { authorization: `Basic ${Buffer.from('alice:alice').toString('base64')}` },
    });
    expect(response.status).toBe(404);
  });
});
