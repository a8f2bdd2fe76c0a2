import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEnvironmentCredentials } from './environment-credentials.ts';
import { checkSocketFolder, gitCredentialSocketPath } from './git-credential-server.ts';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-sock-unit-'));
  made.push(dir);
  return dir;
}

describe('gitCredentialSocketPath', () => {
  it('keeps the socket in the data folder when the path fits', () => {
    expect(gitCredentialSocketPath('/var/lib/runner', {})).toBe('/var/lib/runner/git-credentials/runner.sock');
  });

  it('uses XDG_RUNTIME_DIR for a deep data folder, else the temporary directory with the uid in the name; always the same path', () => {
    const deep = `/srv/${'d'.repeat(100)}`;
    const inRuntimeDir = gitCredentialSocketPath(deep, { XDG_RUNTIME_DIR: '/run/user/1000' });
    expect(inRuntimeDir).toMatch(/^\/run\/user\/1000\/rc-git-[0-9a-f]{16}\/runner\.sock$/);
    expect(gitCredentialSocketPath(deep, { XDG_RUNTIME_DIR: '/run/user/1000' })).toBe(inRuntimeDir);
    const inTmp = gitCredentialSocketPath(deep, {});
    expect(inTmp).toBe(path.join(os.tmpdir(), `rc-git-${process.getuid!()}-${inRuntimeDir.split('rc-git-')[1]}`));
    // A relative XDG_RUNTIME_DIR is not a runtime directory.
    expect(gitCredentialSocketPath(deep, { XDG_RUNTIME_DIR: 'run' })).toBe(inTmp);
  });
});

describe('checkSocketFolder', () => {
  it('makes a private folder, and accepts it again', () => {
    const folder = path.join(scratch(), 'sock');
    checkSocketFolder(folder);
    checkSocketFolder(folder);
    expect(fs.lstatSync(folder).mode & 0o777).toBe(0o700);
  });

  it('refuses a file, a symlink, another owner, a loose mode and a world-writable parent that is not sticky', () => {
    const root = scratch();
    const file = path.join(root, 'file');
    fs.writeFileSync(file, '');
    expect(() => checkSocketFolder(file)).toThrow(/is not a folder/);
    const link = path.join(root, 'link');
    fs.symlinkSync(root, link);
    expect(() => checkSocketFolder(link)).toThrow(/is a symbolic link/);
    const loose = path.join(root, 'loose');
    fs.mkdirSync(loose, { mode: 0o700 });
    fs.chmodSync(loose, 0o750);
    expect(() => checkSocketFolder(loose)).toThrow(/has mode 0750, not 0700/);
    if (process.getuid?.() === 0) {
      const foreign = path.join(root, 'foreign');
      fs.mkdirSync(foreign, { mode: 0o700 });
      fs.chownSync(foreign, 65534, 65534);
      expect(() => checkSocketFolder(foreign)).toThrow(/belongs to another user/);
    }
    const open = path.join(root, 'open');
    fs.mkdirSync(open);
    fs.chmodSync(open, 0o777);
    expect(() => checkSocketFolder(path.join(open, 'sock'))).toThrow(/any user can write to and which is not sticky/);
    fs.chmodSync(open, 0o1777);
    expect(() => checkSocketFolder(path.join(open, 'sock2'))).not.toThrow();
  });
});

describe('environment helpers', () => {
  it('are rewritten for the current socket path when the runner starts', () => {
    const dataDir = scratch();
    const first = createEnvironmentCredentials({ dataDir, socketPath: '/run/user/1000/rc-git-a/runner.sock' });
    const { helperPath } = first.register({ environmentId: 'env-1', userId: 'u', integrationId: 'i', host: 'bitbucket.org', gitHost: 'bitbucket.org', gitProtocol: 'https' });
    expect(fs.readFileSync(helperPath, 'utf8')).toContain("--socket '/run/user/1000/rc-git-a/runner.sock'");
    createEnvironmentCredentials({ dataDir, socketPath: '/tmp/rc-git-0-b/runner.sock' });
    const helper = fs.readFileSync(helperPath, 'utf8');
    expect(helper).toContain("--socket '/tmp/rc-git-0-b/runner.sock'");
    expect(helper).not.toContain('rc-git-a');
    expect(fs.statSync(helperPath).mode & 0o777).toBe(0o700);
  });
});
