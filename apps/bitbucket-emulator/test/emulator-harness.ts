import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEmulator } from '../src/app.ts';

export interface RunningEmulator {
  baseUrl: string;
  dataDir: string;
  /** Stops the server; removes the data folder unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Starts the real emulator on a random loopback port with its own (or the given) data folder. */
export async function startEmulator(
  dataDir: string = makeTempDir('bb-emulator-'),
): Promise<RunningEmulator> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulator = createEmulator({ dataDir, publicUrl: baseUrl });
  server.on('request', emulator.app);
  return {
    baseUrl,
    dataDir,
    close: async (options = {}) => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
