import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnvironmentCredentials } from '../src/git/environment-credentials.ts';
import { startGitCredentialServer } from '../src/git/git-credential-server.ts';
import { createLogger } from '../src/logger.ts';
import { check } from '../../../security/support/record-security-row.ts';

// Attacks on the local channel that environments' credential helpers use to get a user's token.

let dataDir: string;
let environments: ReturnType<typeof createEnvironmentCredentials>;
let server: Awaited<ReturnType<typeof startGitCredentialServer>>;
const asked: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-gitcred-sec-'));
  const socketPath = path.join(dataDir, 'git-credentials', 'runner.sock');
  environments = createEnvironmentCredentials({ dataDir, socketPath });
  environments.register({ environmentId: 'env-alice', userId: 'alice', integrationId: 'int', host: 'bitbucket.org', gitHost: 'bitbucket.example:443', gitProtocol: 'https' });
  environments.register({ environmentId: 'env-bob', userId: 'bob', integrationId: 'int', host: 'bitbucket.org', gitHost: 'bitbucket.example:443', gitProtocol: 'https' });
  server = await startGitCredentialServer({
    socketPath,
    environments,
    credentialsFor: async (record) => {
      asked.push(record.userId);
      return { username: 'x-token-auth', password: `token-of-${record.userId}` };
    },
    log: createLogger('silent'),
  });
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const secretOf = (id: string) => fs.readFileSync(path.join(environments.root, id, 'secret'), 'utf8').trim();

/** A raw request in git credential-cache's wire format. */
function ask(lines: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('git', ['credential-cache', '--socket', server.socketPath, 'get'], { env: { PATH: process.env.PATH } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
    child.stdin!.end(`${lines.join('\n')}\n\n`);
  });
}

describe('the git credential channel', () => {
  it('is a socket only the runner’s user can open, in a folder only it can enter', () => {
    expect(fs.statSync(server.socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(server.socketPath)).mode & 0o777).toBe(0o700);
    for (const id of ['env-alice', 'env-bob']) {
      expect(fs.statSync(path.join(environments.root, id)).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(environments.root, id, 'secret')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(environments.root, id, 'environment.json')).mode & 0o777).toBe(0o600);
    }
  });

  it('answers the right secret with that environment’s user’s credentials', async () => {
    expect(await ask(['environment=env-alice', `secret=${secretOf('env-alice')}`, 'protocol=https', 'host=bitbucket.example:443'])).toBe('username=x-token-auth\npassword=token-of-alice\n');
  });

  it('refuses another environment’s secret: bob’s environment cannot get alice’s token', async () => {
    const before = asked.length;
    const answer = await ask(['environment=env-alice', `secret=${secretOf('env-bob')}`, 'protocol=https', 'host=bitbucket.example:443']);
    expect(answer).toMatch(/^runner-console-error=/);
    expect(answer).not.toContain('token-of-');
    expect(asked.length).toBe(before);
  });

  it('refuses no secret, a guessed one, and a path-traversal environment id', async () => {
    for (const lines of [
      ['environment=env-alice', 'protocol=https', 'host=bitbucket.example:443'],
      ['environment=env-alice', `secret=${'A'.repeat(43)}`, 'protocol=https', 'host=bitbucket.example:443'],
      ['environment=../env-alice', `secret=${secretOf('env-alice')}`, 'protocol=https', 'host=bitbucket.example:443'],
      ['environment=env-alice/../env-alice', `secret=${secretOf('env-alice')}`, 'protocol=https', 'host=bitbucket.example:443'],
    ]) {
      const answer = await ask(lines);
      expect(answer).toMatch(/^runner-console-error=/);
      expect(answer).not.toContain('password=');
    }
  });

  it('gives nothing for a remote on another host, even with the right secret', async () => {
    const answer = await ask(['environment=env-alice', `secret=${secretOf('env-alice')}`, 'protocol=https', 'host=evil.example']);
    expect(answer).toMatch(/^runner-console-error=.*evil\.example/);
    expect(answer).not.toContain('token-of-');
  });

  it('attack: a request over http for an environment cloned over https gets nothing', () =>
    check('trust', 'credential request over http for an https endpoint', async () => {
      const before = asked.length;
      for (const protocol of ['protocol=http', 'protocol=HTTPS', 'protocol=ftp', undefined]) {
        const lines = ['environment=env-alice', `secret=${secretOf('env-alice')}`, ...(protocol ? [protocol] : []), 'host=bitbucket.example:443'];
        const answer = await ask(lines);
        expect(answer).toMatch(/^runner-console-error=.*https:\/\/bitbucket\.example:443 only/);
        expect(answer).not.toContain('token-of-');
      }
      expect(asked.length).toBe(before);
    }));

  it('keeps the first environment and secret it reads, so later lines cannot swap them', async () => {
    // The helper writes its own id and secret first; a second pair later in the request is ignored.
    const answer = await ask(['environment=env-bob', `secret=${secretOf('env-alice')}`, 'environment=env-alice', 'protocol=https', 'host=bitbucket.example:443']);
    expect(answer).toMatch(/^runner-console-error=/);
  });

  it('answers store and erase with nothing, and drops an oversized request', async () => {
    const store = await new Promise<string>((resolve, reject) => {
      const child = execFile('git', ['credential-cache', '--socket', server.socketPath, 'erase'], { env: { PATH: process.env.PATH } }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
      child.stdin!.end(`environment=env-alice\nsecret=${secretOf('env-alice')}\nprotocol=https\nhost=bitbucket.example:443\n\n`);
    });
    expect(store).toBe('');
    const huge = await ask(['environment=env-alice', `secret=${secretOf('env-alice')}`, `path=${'x'.repeat(20_000)}`, 'host=bitbucket.example:443']).catch(() => '');
    expect(huge).not.toContain('password=');
  });

  it('forgets an environment: its secret stops working', async () => {
    const secret = secretOf('env-bob');
    environments.forget('env-bob');
    expect(fs.existsSync(path.join(environments.root, 'env-bob'))).toBe(false);
    expect(await ask(['environment=env-bob', `secret=${secret}`, 'protocol=https', 'host=bitbucket.example:443'])).toMatch(/^runner-console-error=/);
  });
});
