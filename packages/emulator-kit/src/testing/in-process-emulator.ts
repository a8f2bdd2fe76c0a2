import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

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

/**
 * Starts a real emulator in this process on a random loopback port with its own data folder, for
 * an emulator's own tests. `create` is the emulator's createEmulator; `apiPath` where its REST API is.
 */
export async function startInProcessEmulator(
  create: (options: { dataDir: string; publicUrl: string }) => { app: RequestListener; close(): Promise<void> },
  options: { dataDir: string; apiPath: string },
): Promise<RunningEmulator> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulator = create({ dataDir: options.dataDir, publicUrl: baseUrl });
  server.on('request', emulator.app);
  return {
    baseUrl,
    apiUrl: `${baseUrl}${options.apiPath}`,
    dataDir: options.dataDir,
    close: async (closing = {}) => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      if (!closing.keepData) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to an emulator's test API (`/_emulator/<path>`) and returns status and body. */
export async function postTestApi(baseUrl: string, apiPath: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/_emulator/${apiPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
