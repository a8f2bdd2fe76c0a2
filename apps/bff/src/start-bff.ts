import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BffConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { openDatabase, openPostgresDatabase, withStartupLock, type Db } from './store/database.ts';
import { createLocalBus, createPostgresBus, type ClusterBus } from './store/cluster-bus.ts';
import { createRunnersStore } from './store/runners-store.ts';
import { seedDevData } from './services/seed-dev-data.ts';
import { createBffApp, type BffApp } from './app.ts';

export interface RunningBff {
  config: BffConfig;
  db: Db;
  bus: ClusterBus;
  bff: BffApp;
  server: Server;
  close(): Promise<void>;
}

/**
 * Open the database (PostgreSQL with DATABASE_URL, else the SQLite file), seed (never in
 * production), build the app and listen. Used by server.ts and tests.
 */
export async function startBff(config: BffConfig, log: Logger, extra: { runnerEnv?: Record<string, string> } = {}): Promise<RunningBff> {
  let db: Db;
  let bus: ClusterBus;
  if (config.databaseUrl) {
    db = await openPostgresDatabase(config.databaseUrl, {
      onIdleError: (err) => log.warn({ err: err.message }, 'a database connection dropped'),
    });
    try {
      bus = await createPostgresBus(db, config.databaseUrl, log);
    } catch (err) {
      await db.destroy();
      throw err;
    }
  } else {
    db = await openDatabase(config.dbFile);
    bus = createLocalBus();
  }
  // Alone, nobody is connected yet at start. With several instances others hold links: runners
  // nobody hears from are marked inactive by the link server's sweep instead.
  if (!bus.clustered) await createRunnersStore(db).markAllDisconnected();
  if (config.seedDevData) await withStartupLock(db, (conn) => seedDevData(conn, log, config.localRunnerToken));

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const running: BffConfig = config.publicUrlExplicit ? config : { ...config, port, publicUrl: `http://localhost:${port}` };
  const bff = createBffApp(running, db, log, { ...extra, bus });
  // The request handler goes on before anything else is awaited: a request arriving in between
  // would find no listener and hang.
  server.on('request', bff.app);
  bff.link.attach(server);
  await bff.link.start();
  server.keepAliveTimeout = 65_000;
  log.info({ url: running.publicUrl, database: config.databaseUrl ? 'postgres' : 'sqlite', instanceId: bus.instanceId }, `BFF listening on ${running.publicUrl}`);

  return {
    config: running,
    db,
    bus,
    bff,
    server,
    async close() {
      await bff.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await bus.close();
      await db.destroy();
    },
  };
}
