import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRunnerKeyPair, inspectEnvelope, openClientSecret } from '@runner-console/envelope';
import type { RunnerKeyPair } from '@runner-console/envelope';
import { runSealSecret } from '../src/seal-secret-command.ts';

/**
 * `node runner.mjs seal-secret`: automation seals the client secret on its own machine, so the
 * plaintext never reaches Runner Console. What it prints must open on the runner with its private
 * key, and only for the runner and host it was sealed for.
 */
const secret = 'ci-secret-ÄÖ-🔑-never-printed';
const runnerId = 'run_seal_cli_test';
let keys: RunnerKeyPair;
let dir: string;
beforeAll(async () => {
  keys = await createRunnerKeyPair();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-seal-secret-'));
});

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value));
  return file;
}

/** The runner as GET /api/runners/:runnerId answers it. */
const runnerAnswer = (over: Record<string, unknown> = {}) => ({ id: runnerId, name: 'CI runner', publicKey: keys.publicJwk, ...over });

async function run(argv: string[], stdin: string | Buffer = `${secret}\n`, stdinIsTty = false) {
  let stdout = '';
  let stderr = '';
  const code = await runSealSecret(argv, {
    stdin: [typeof stdin === 'string' ? Buffer.from(stdin) : stdin],
    stdinIsTty,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

const open = (envelope: string, host = 'bitbucket.org') =>
  openClientSecret({ envelope, privateKey: keys.privateJwk, expected: { runnerId, kid: keys.publicJwk.kid, host } });

describe('seal-secret', () => {
  it('seals the secret from stdin to the runner from GET /api/runners, and the runner opens it', async () => {
    const file = writeJson('runner.json', runnerAnswer());
    const res = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const envelope = res.stdout.trim();
    expect(res.stdout).toBe(`${envelope}\n`);
    expect(inspectEnvelope(envelope)).toMatchObject({ runnerId, kid: keys.publicJwk.kid, host: 'bitbucket.org' });
    // The trailing newline echo adds is not part of the secret.
    expect(await open(envelope)).toBe(secret);
    // Bound to the host it was sealed for.
    await expect(open(envelope, 'github.com')).rejects.toThrow();
  });

  it('takes the bare public JWK too, and keeps a secret without a trailing newline as it is', async () => {
    const file = writeJson('jwk.json', keys.publicJwk);
    const res = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file], 'ends-with-space ');
    expect(res.code).toBe(0);
    expect(await open(res.stdout.trim())).toBe('ends-with-space ');
  });

  it('refuses a key that is not the runner’s public P-256 JWK, and never prints the secret', async () => {
    const other = await createRunnerKeyPair();
    const cases: [string, unknown, RegExp][] = [
      ['private.json', keys.privateJwk, /private key/],
      ['okp.json', { kty: 'OKP', crv: 'X25519', x: keys.publicJwk.x, kid: keys.publicJwk.kid }, /not a P-256 key/],
      ['rsa.json', { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'x'.repeat(43) }, /not a P-256 key/],
      ['damaged.json', { ...keys.publicJwk, x: 'short' }, /damaged/],
      ['kid.json', { ...keys.publicJwk, kid: other.publicJwk.kid }, /key id does not match/],
      ['no-kid.json', { ...keys.publicJwk, kid: undefined }, /no key id/],
      // Well-formed coordinates that are not a point on the curve.
      ['off-curve.json', { ...keys.publicJwk, y: other.publicJwk.y }, /key id does not match|could not be read/],
      ['other-runner.json', runnerAnswer({ id: 'run_someone_else' }), /not --runner/],
      ['no-key-yet.json', runnerAnswer({ publicKey: null }), /has not registered its key/],
      ['array.json', [keys.publicJwk], /no public key object/],
    ];
    for (const [name, value, message] of cases) {
      const res = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', writeJson(name, value)]);
      expect(res.code, name).toBe(1);
      expect(res.stdout, name).toBe('');
      expect(res.stderr, name).toMatch(message);
      expect(res.stderr, name).not.toContain(secret);
    }
    fs.writeFileSync(path.join(dir, 'not-json.txt'), 'kty=EC');
    expect((await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', path.join(dir, 'not-json.txt')])).stderr).toMatch(/is not JSON/);
  });

  it('refuses wrong usage: the secret as an argument, missing flags, a terminal, empty stdin', async () => {
    const file = writeJson('runner.json', runnerAnswer());
    const asArgument = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file, secret]);
    expect(asArgument.code).toBe(2);
    expect(asArgument.stderr).toMatch(/read from stdin/);
    const missing = await run(['--runner', runnerId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing --host, --public-key-file');
    const tty = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file], '', true);
    expect(tty.code).toBe(2);
    expect(tty.stderr).toMatch(/Pipe the secret/);
    const empty = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file], '\n');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/stdin was empty/);
    const binary = await run(['--runner', runnerId, '--host', 'bitbucket.org', '--public-key-file', file], Buffer.from([0xff, 0xfe]));
    expect(binary.stderr).toMatch(/not UTF-8/);
    expect((await run(['--help'])).stdout).toContain('--public-key-file');
  });
  // Run as a process, from the installable file and with the secret piped in: runner-bundle.test.ts.
});
