import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEmulator } from '../src/app.ts';

export interface RunningEmulator {
  baseUrl: string;
  apiUrl: string;
  dataDir: string;
  /** Stops the server; removes the data folder unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the real emulator on a random loopback port with its own data folder. */
export async function startEmulator(dataDir: string = makeTempDir('gl-emulator-')): Promise<RunningEmulator> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulator = createEmulator({ dataDir, publicUrl: baseUrl });
  server.on('request', emulator.app);
  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/v4`,
    dataDir,
    close: async (options = {}) => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to the test API and returns status and body. */
export async function testApi(baseUrl: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/_emulator/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function createToken(baseUrl: string, body: Record<string, unknown>): Promise<string> {
  const { status, body: answer } = await testApi(baseUrl, 'personal-access-tokens', body);
  if (status !== 201) throw new Error(`token not created: ${JSON.stringify(answer)}`);
  return answer.token as string;
}
