import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createEmulators } from '../src/app.ts';

export interface RunningEmulators {
  devopsUrl: string;
  entraUrl: string;
  testApi(apiPath: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  dataDir: string;
  /** Stops both servers; removes the data folder unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

async function listen(): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Both emulators on random loopback ports, with their own data folder. */
export async function startEmulators(dataDir: string = mkdtempSync(path.join(os.tmpdir(), 'azdo-emulator-'))): Promise<RunningEmulators> {
  const [devops, entra] = await Promise.all([listen(), listen()]);
  const emulators = await createEmulators({ dataDir, devopsUrl: devops.url, entraUrl: entra.url });
  devops.server.on('request', emulators.devops);
  entra.server.on('request', emulators.entra);
  return {
    devopsUrl: devops.url,
    entraUrl: entra.url,
    async testApi(apiPath, body) {
      const response = await fetch(`${devops.url}${apiPath}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    dataDir,
    async close(options = {}) {
      for (const { server } of [devops, entra]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      await emulators.close();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
