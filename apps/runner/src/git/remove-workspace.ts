import fs from 'node:fs/promises';
import path from 'node:path';

/** Environment ids are the BFF's UUIDs; anything else could step outside the workspaces folder. */
const environmentIdPattern = /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/;

export function workspacesRoot(dataDir: string): string {
  return path.join(dataDir, 'workspaces');
}

/** Where an environment's clone lives on this machine. Throws for an id that is not a plain id. */
export function workspaceDirOf(dataDir: string, environmentId: string): string {
  if (!environmentIdPattern.test(environmentId)) throw new Error('That is not an environment id.');
  return path.join(workspacesRoot(dataDir), environmentId);
}

/** Remove an environment's workspace folder. True when there was one. */
export async function removeWorkspace(dataDir: string, environmentId: string): Promise<boolean> {
  const dir = workspaceDirOf(dataDir, environmentId);
  const existed = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 3 });
  return existed;
}

/** Remove every workspace (the runner was deleted). Returns how many there were. */
export async function removeAllWorkspaces(dataDir: string): Promise<number> {
  const root = workspacesRoot(dataDir);
  const entries = await fs.readdir(root).catch(() => [] as string[]);
  await fs.rm(root, { recursive: true, force: true, maxRetries: 3 });
  return entries.length;
}
