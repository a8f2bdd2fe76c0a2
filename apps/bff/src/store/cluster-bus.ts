import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import type { Logger } from '../logger.ts';
import type { Db } from './database.ts';

/**
 * How BFF instances on one PostgreSQL database tell each other things: server events for browsers
 * whose stream is elsewhere, cache invalidations, and runner-link requests for a runner connected
 * to another instance. Built on LISTEN/NOTIFY: no extra service, no instance-to-instance network.
 *
 * - A message goes to every other instance (each filters what is for it); the sender handles its
 *   own copy directly, so nothing waits on the database for local delivery.
 * - NOTIFY payloads are limited to 8000 bytes: a larger body goes into `cluster_messages` and the
 *   notification carries its id (rows older than a minute are deleted).
 * - Messages are not durable: an instance whose listening connection drops misses what was sent
 *   meanwhile. When it listens again it gets `onResync`, and drops every cache and reloads what it
 *   tracks of the others.
 * - One instance's messages are sent one at a time, so others see them in the order they were sent
 *   (a large one may arrive after a small one sent later).
 */
export interface ClusterBus {
  readonly instanceId: string;
  /** False for the embedded single instance (SQLite): publish does nothing. */
  readonly clustered: boolean;
  /**
   * Tell every other instance. The promise settles once the message has gone to the database
   * (never rejects: a failure is logged): await it where the answer to a request must not leave
   * before the other instances are told (a session that ends "at once").
   */
  publish(topic: string, body: unknown): Promise<void>;
  subscribe(topic: string, handler: (body: unknown, from: string) => void): () => void;
  onResync(handler: () => void): () => void;
  /** Told how long each message from another instance took to arrive, in seconds (for the metrics). */
  onLag(handler: (seconds: number) => void): void;
  close(): Promise<void>;
}

export const clusterChannel = 'runner_console';
/** Below NOTIFY's 8000-byte limit with room for the envelope. */
const inlinePayloadMax = 7_500;

type Handler = (body: unknown, from: string) => void;

function createHandlers() {
  const topics = new Map<string, Set<Handler>>();
  const resyncs = new Set<() => void>();
  return {
    topics,
    resyncs,
    subscribe(topic: string, handler: Handler) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(handler);
      return () => set.delete(handler);
    },
    onResync(handler: () => void) {
      resyncs.add(handler);
      return () => resyncs.delete(handler);
    },
  };
}

/** One instance alone (SQLite): there is nobody to tell. */
export function createLocalBus(): ClusterBus {
  const handlers = createHandlers();
  return {
    instanceId: randomUUID(),
    clustered: false,
    publish: () => Promise.resolve(),
    subscribe: handlers.subscribe,
    onResync: handlers.onResync,
    onLag() {},
    async close() {},
  };
}

interface Envelope {
  /** sender */
  f: string;
  /** topic */
  t: string;
  /** body, when it fitted */
  b?: unknown;
  /** id of the cluster_messages row holding the body */
  r?: string;
  /** when it was sent (ms since the epoch, the sender's clock) */
  s?: number;
}

export async function createPostgresBus(db: Db, databaseUrl: string, log: Logger): Promise<ClusterBus> {
  const instanceId = randomUUID();
  const handlers = createHandlers();
  let closed = false;
  let listener: pg.Client | undefined;
  let reconnectDelay = 250;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let sending: Promise<void> = Promise.resolve();
  let lagHandler: ((seconds: number) => void) | undefined;

  function deliver(topic: string, body: unknown, from: string) {
    for (const handler of handlers.topics.get(topic) ?? []) {
      try {
        handler(body, from);
      } catch (err) {
        log.error({ err, topic }, 'cluster message handler failed');
      }
    }
  }

  function resync() {
    for (const handler of handlers.resyncs) {
      try {
        handler();
      } catch (err) {
        log.error({ err }, 'cluster resync handler failed');
      }
    }
  }

  async function onNotification(payload: string | undefined) {
    if (!payload) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(payload) as Envelope;
    } catch {
      return;
    }
    if (envelope.f === instanceId) return;
    if (typeof envelope.s === 'number') lagHandler?.((Date.now() - envelope.s) / 1000);
    let body = envelope.b;
    if (envelope.r) {
      const row = await db.selectFrom('cluster_messages').select('body').where('id', '=', envelope.r).executeTakeFirst();
      if (!row) return;
      body = JSON.parse(row.body);
    }
    deliver(envelope.t, body, envelope.f);
  }

  async function listen(): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: `runner-console:${instanceId}`, connectionTimeoutMillis: 3_000 });
    client.on('notification', (msg) => {
      onNotification(msg.payload).catch((err) => log.warn({ err: (err as Error).message }, 'reading a cluster message failed'));
    });
    const lost = (why: string) => {
      if (listener !== client) return;
      listener = undefined;
      client.end().catch(() => undefined);
      if (closed) return;
      log.warn({ why }, 'lost the cluster listener connection; reconnecting');
      // Whatever was sent meanwhile is missed: caches go now rather than serve stale data.
      resync();
      scheduleReconnect();
    };
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    await client.connect();
    await client.query(`LISTEN ${clusterChannel}`);
    listener = client;
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      listen()
        .then(() => {
          reconnectDelay = 250;
          log.info('cluster listener connected again');
          resync();
        })
        .catch(() => {
          reconnectDelay = Math.min(reconnectDelay * 2, 2_000);
          scheduleReconnect();
        });
    }, reconnectDelay);
    reconnectTimer.unref();
  }

  await listen();

  const cleanup = setInterval(() => {
    const cutoff = new Date(Date.now() - 60_000).toISOString();
    db.deleteFrom('cluster_messages').where('created_at', '<', cutoff).execute().catch(() => undefined);
  }, 30_000);
  cleanup.unref();

  async function send(topic: string, body: unknown) {
    let payload = JSON.stringify({ f: instanceId, t: topic, b: body, s: Date.now() } satisfies Envelope);
    if (Buffer.byteLength(payload) > inlinePayloadMax) {
      const id = randomUUID();
      await db.insertInto('cluster_messages').values({ id, body: JSON.stringify(body), created_at: new Date().toISOString() }).execute();
      payload = JSON.stringify({ f: instanceId, t: topic, r: id, s: Date.now() } satisfies Envelope);
    }
    // On the listening connection when it is up: it is idle otherwise, so a message never waits
    // for a pooled connection behind busy requests (a Connect result crosses instances this way).
    // PostgreSQL delivers a session's own notifications to it too; onNotification skips them.
    const direct = listener;
    if (direct) {
      try {
        await direct.query('select pg_notify($1, $2)', [clusterChannel, payload]);
        return;
      } catch (err) {
        if (listener === direct) throw err;
        // The listener dropped under this message: the pool still reaches the database.
      }
    }
    await sql`select pg_notify(${clusterChannel}, ${payload})`.execute(db);
  }

  return {
    instanceId,
    clustered: true,
    publish(topic, body) {
      if (closed) return Promise.resolve();
      sending = sending
        .then(() => send(topic, body))
        .catch((err) => log.warn({ topic, err: (err as Error).message }, 'sending a cluster message failed'));
      return sending;
    },
    subscribe: handlers.subscribe,
    onResync: handlers.onResync,
    onLag(handler) {
      lagHandler = handler;
    },
    async close() {
      closed = true;
      clearInterval(cleanup);
      clearTimeout(reconnectTimer);
      await sending;
      const client = listener;
      listener = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
