import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BffConfig } from './config.ts';
import type { Logger } from './logger.ts';
import { openDatabase, openPostgresDatabase, poolOf, withStartupLock, type Db } from './store/database.ts';
import { createMetrics, startMetricsServer } from './operations/metrics.ts';
import { createLocalBus, createPostgresBus, type ClusterBus } from './store/cluster-bus.ts';
import { createRunnersStore } from './store/runners-store.ts';
import { seedDevData } from './services/seed-dev-data.ts';
import { announceSetupCode } from './services/setup-service.ts';
import { createBffApp, type BffApp } from './app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunningBff {
  config: BffConfig;
  db: Db;
  bus: ClusterBus;
  bff: BffApp;
  server: Server;
  /** The metrics listener's URL (http://host:port/metrics), when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /**
   * SIGTERM: /readyz answers 503 for drainDelayMs while requests are still served (the load balancer
   * stops sending), then the listener closes, event streams and runner links are told to
   * reconnect (elsewhere), requests in flight finish (drainTimeoutMs at most), and all is closed.
   */
  drain(): Promise<void>;
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
  const metrics = createMetrics();
  const bff = createBffApp(running, db, log, { ...extra, bus, metrics });
  // The request handler goes on before anything else is awaited: a request arriving in between
  // would find no listener and hang.
  server.on('request', bff.app);
  bff.link.attach(server);
  await bff.link.start();
  server.keepAliveTimeout = 65_000;

  bus.onLag((seconds) => metrics.busLag(seconds));
  metrics.gauge('runner_console_runner_links_connected', 'Runner links connected to this instance.', () => bff.link.localCount);
  metrics.gauge('runner_console_event_streams_open', "Dashboards' event streams open on this instance.", () => bff.hub.size);
  const pool = poolOf(db);
  if (pool) {
    metrics.gauge('runner_console_db_pool_in_use', 'PostgreSQL connections of this instance in use by a query.', () => pool.totalCount - pool.idleCount);
    metrics.gauge('runner_console_db_pool_waiting', 'Queries of this instance waiting for a PostgreSQL connection.', () => pool.waitingCount);
  }
  let metricsServer: Server | undefined;
  let metricsUrl: string | undefined;
  if (config.metricsPort !== undefined) {
    const started = await startMetricsServer(metrics, config.metricsHost, config.metricsPort);
    metricsServer = started.server;
    metricsUrl = started.url;
    log.info({ url: metricsUrl }, `metrics on ${metricsUrl}`);
  }

  let closing: Promise<void> | undefined;
  async function closeAll() {
    await bff.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    if (metricsServer) await new Promise((r) => metricsServer.close(r));
    await bus.close();
    await db.destroy();
  }
  async function drain() {
    const { lifecycle } = bff;
    lifecycle.draining = true;
    log.info({ delayMs: config.drainDelayMs }, 'draining: /readyz answers 503 now');
    await sleep(config.drainDelayMs);
    // No new connections; idle ones close, busy ones after their answer (Connection: close).
    let listenerClosed = false;
    server.close(() => (listenerClosed = true));
    server.closeIdleConnections();
    // Browsers open a new event stream at once, through the load balancer to another instance.
    bff.hub.askAllToReconnect();
    const deadline = Date.now() + config.drainTimeoutMs;
    // A connection that finished its last answer is idle: closed at once rather than at its keep-alive timeout.
    const busy = () => lifecycle.inFlight + bff.link.forwardedInFlight;
    while (busy() > 0 && Date.now() < deadline) {
      server.closeIdleConnections();
      await sleep(20);
    }
    if (busy() > 0) log.warn({ inFlight: lifecycle.inFlight, forwarded: bff.link.forwardedInFlight }, 'draining: requests still in flight after DRAIN_TIMEOUT_MS; ending them');
    // Runner links last: requests in flight may have been waiting on a runner. Runners reconnect at once.
    await bff.close();
    const linksDeadline = Math.max(Date.now() + 1_000, deadline);
    while (!listenerClosed && Date.now() < linksDeadline) {
      server.closeIdleConnections();
      await sleep(20);
    }
    server.closeAllConnections();
    if (metricsServer) await new Promise((r) => metricsServer.close(r));
    await bus.close();
    await db.destroy();
    log.info('drained');
  }
  // A database with no user (production's first start): log a one-time set-up code for /setup.
  await announceSetupCode(db, log, `${running.publicUrl}/setup`);
  log.info({ url: running.publicUrl, database: config.databaseUrl ? 'postgres' : 'sqlite', instanceId: bus.instanceId }, `BFF listening on ${running.publicUrl}`);

  return {
    config: running,
    db,
    bus,
    bff,
    server,
    metricsUrl,
    drain() {
      closing ??= drain();
      return closing;
    },
    close() {
      closing ??= closeAll();
      return closing;
    },
  };
}
