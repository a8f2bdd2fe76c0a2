import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface SourceEmulator {
  baseUrl: string;
  /** The emulator's test API (`/_emulator/*`): JSON in, status and JSON out. */
  testApi(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/**
 * An emulator app run from its source with tsx, on a free port with its own data folder: what
 * `npm run dev` does, for suites that need an emulator without the rest of the stack (the
 * provider conformance suite). `portVariable` is the emulator's port setting (GITHUB_PORT, …), `env` more settings.
 */
export async function startSourceEmulator(app: string, portVariable: string, env: (baseUrl: string) => Record<string, string> = () => ({})): Promise<SourceEmulator> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `rc-${app}-`));
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps', app, 'src', 'server.ts')], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, [portVariable]: String(port), LOG_LEVEL: 'warn', ...env(baseUrl) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/_emulator/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode} before it answered`);
    if (Date.now() > deadline) throw new Error(`${app} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    async testApi(method, apiPath, body) {
      const response = await fetch(`${baseUrl}${apiPath}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
