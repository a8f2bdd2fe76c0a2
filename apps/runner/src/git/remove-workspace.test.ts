import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeAllWorkspaces, removeWorkspace, workspaceDirOf } from './remove-workspace.ts';

function dataDirWith(ids: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-ws-'));
  for (const id of ids) {
    fs.mkdirSync(path.join(dir, 'workspaces', id, '.git'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'workspaces', id, 'README.md'), 'x');
  }
  return dir;
}

describe('workspace removal', () => {
  it('removes one environment’s folder and leaves the others', async () => {
    const dir = dataDirWith(['env-a', 'env-b']);
    expect(await removeWorkspace(dir, 'env-a')).toBe(true);
    expect(fs.existsSync(path.join(dir, 'workspaces', 'env-a'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'workspaces', 'env-b', 'README.md'))).toBe(true);
    expect(await removeWorkspace(dir, 'env-a')).toBe(false);
  });

  it('refuses ids that would leave the workspaces folder', async () => {
    const dir = dataDirWith(['env-a']);
    for (const id of ['..', '../env-a', '/etc', 'a/b', '']) {
      expect(() => workspaceDirOf(dir, id)).toThrow('not an environment id');
      await expect(removeWorkspace(dir, id)).rejects.toThrow();
    }
    expect(fs.existsSync(path.join(dir, 'workspaces', 'env-a'))).toBe(true);
  });

  it('removes every workspace when the runner is deleted', async () => {
    const dir = dataDirWith(['a', 'b', 'c']);
    expect(await removeAllWorkspaces(dir)).toBe(3);
    expect(fs.existsSync(path.join(dir, 'workspaces'))).toBe(false);
    expect(await removeAllWorkspaces(dir)).toBe(0);
  });
});
