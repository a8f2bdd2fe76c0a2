import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BffConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { openDatabase, type Db } from './store/database.ts';
import { createRunnersStore } from './store/runners-store.ts';
import { seedDevData } from './services/seed-dev-data.ts';
import { createBffApp, type BffApp } from './app.ts';

export interface RunningBff {
  config: BffConfig;
  db: Db;
  bff: BffApp;
  server: Server;
  close(): Promise<void>;
}

/** Open the database, seed (never in production), build the app and listen. Used by server.ts and tests. */
export async function startBff(config: BffConfig, log: Logger, extra: { runnerEnv?: Record<string, string> } = {}): Promise<RunningBff> {
  const db = await openDatabase(config.dbFile);
  await createRunnersStore(db).markAllDisconnected();
  if (config.seedDevData) await seedDevData(db, log, config.localRunnerToken);

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const running: BffConfig = config.publicUrlExplicit ? config : { ...config, port, publicUrl: `http://localhost:${port}` };
  const bff = createBffApp(running, db, log, extra);
  server.on('request', bff.app);
  bff.link.attach(server);
  server.keepAliveTimeout = 65_000;
  log.info({ url: running.publicUrl }, `BFF listening on ${running.publicUrl}`);

  return {
    config: running,
    db,
    bff,
    server,
    async close() {
      await bff.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await db.destroy();
    },
  };
}
