import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { calculateJwkThumbprint } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import { LinkHello, linkCloseCodes, type LinkWelcome } from '@runner-console/contracts';
import type { Logger } from '../logger.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { AuditStore } from '../store/audit-store.ts';
import { toRunner, type RunnersStore } from '../store/runners-store.ts';
import type { RunnersTable } from '../store/schema.ts';
import { hashSecretToken } from '../services/secret-tokens.ts';
import { LinkRequestError, RunnerConnection } from './runner-connection.ts';
import { createLocalBus, type ClusterBus } from '../store/cluster-bus.ts';
import { isDatabaseUnavailable } from '../store/database.ts';
import { createClusterLink, type RunnerChannel } from './cluster-link.ts';

export const runnerLinkPath = '/api/runner-link';
const helloTimeoutMs = 5_000;
const maxMessageBytes = 256 * 1024;

/** What the runner logs on a refused key (a close reason holds at most 123 bytes). */
const keyNotAcceptedReason = 'runner key not accepted: an admin must accept the new key on the runner page';

/** The close reason for an invalid hello: which field, in a few words, so the runner can log it. */
function invalidHelloReason(err: unknown): string {
  const issue = (err as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
  const text = issue ? `invalid hello: ${issue.path.join('.')}: ${issue.message}` : `invalid hello: ${(err as Error).message}`;
  return Buffer.from(text).subarray(0, 123).toString().replace(/\uFFFD$/, '');
}

export type RunnerRequestHandler = (runner: RunnersTable, method: string, params: unknown) => Promise<unknown>;

/**
 * The runners' outbound WebSocket connections. A runner behind a firewall dials in; the BFF never
 * opens a connection to it. Phase: active on hello, degraded when heartbeats are late, inactive when
 * the socket closes or stays silent.
 *
 * With several instances (PostgreSQL), a runner's link is on one of them; `connectionOf` hands back
 * a channel that forwards to that instance (cluster-link.ts), so services do not care where it is.
 */
export function createRunnerLinkServer(opts: {
  store: RunnersStore;
  hub: EventHub;
  audit: AuditStore;
  log: Logger;
  heartbeatIntervalMs: number;
  onRunnerRequest: RunnerRequestHandler;
  onConnected?: (conn: RunnerConnection) => void;
  bus?: ClusterBus;
}) {
  const { store, hub, audit, log, heartbeatIntervalMs } = opts;
  const bus = opts.bus ?? createLocalBus();
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxMessageBytes });
  const connections = new Map<string, RunnerConnection>();
  const cluster = createClusterLink({ bus, store, log, local: (runnerId) => connections.get(runnerId), disconnectLocal: (runnerId, code, reason) => void disconnectLocal(runnerId, code, reason) });
  let closed = false;
  function disconnectLocal(runnerId: string, code: number, reason: string): boolean {
    const conn = connections.get(runnerId);
    if (!conn) return false;
    connections.delete(runnerId);
    conn.close(code, reason);
    conn.failPending();
    store.setPhase(runnerId, 'inactive').then(publishRunner).catch(logFailure('marking a runner inactive failed'));
    return true;
  }
  const logFailure = (what: string) => (err: unknown) => {
    if (closed) return;
    // The database being away is reported once per request as a 503; here one line is enough.
    if (isDatabaseUnavailable(err)) log.warn({ err: (err as Error).message }, what);
    else log.error({ err }, what);
  };

  async function publishRunner(row: RunnersTable | undefined) {
    if (row) hub.publish(row.org_id, { type: 'runner.changed', runner: toRunner(row) });
  }

  async function authenticate(req: IncomingMessage): Promise<RunnersTable | undefined> {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S{20,200})$/.exec(header);
    if (!match?.[1]) return undefined;
    return store.findByTokenHash(hashSecretToken(match[1]));
  }

  function refuseUpgrade(socket: Duplex, status: number, code: string, message: string) {
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    authenticate(req)
      .then((runner) => {
        if (!runner) {
          log.warn({ remote: req.socket.remoteAddress }, 'runner link refused: unknown runner token');
          refuseUpgrade(socket, 401, 'unauthenticated', 'The runner token was not accepted. Create a new runner in Settings › Runners and use its token.');
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => acceptRunner(runner, ws, socket));
      })
      .catch((err) => {
        log.error({ err }, 'runner link upgrade failed');
        refuseUpgrade(socket, 400, 'internal', 'The runner link could not be opened.');
      });
  }

  function acceptRunner(runner: RunnersTable, ws: WebSocket, tcp: Duplex) {
    let conn: RunnerConnection | undefined;
    const helloTimer = setTimeout(() => ws.close(linkCloseCodes.helloTimeout, 'hello expected'), helloTimeoutMs);

    ws.on('message', (data) => {
      const raw = data.toString();
      if (conn) return conn.handleMessage(raw);
      onHello(raw).catch(logFailure('runner hello failed'));
    });

    async function onHello(raw: string) {
      let hello: LinkHello;
      try {
        hello = LinkHello.parse(JSON.parse(raw));
        const { kid, ...jwk } = hello.publicKey;
        if ((await calculateJwkThumbprint(jwk, 'sha256')) !== kid) throw new Error('kid is not the key thumbprint');
      } catch (err) {
        log.warn({ runnerId: runner.id, reason: (err as Error).message }, 'runner hello refused');
        ws.close(linkCloseCodes.invalidHello, invalidHelloReason(err));
        return;
      }
      clearTimeout(helloTimer);
      // Before this connection may replace a live one: a token alone must not re-key the runner.
      if (!(await keyAccepted(hello))) return;
      const previous = connections.get(runner.id);
      conn = new RunnerConnection(runner.id, runner.org_id, ws, log, async (method, params) => {
        const current = await store.findById(runner.id);
        if (!current) throw new LinkRequestError('not_found', 'This runner was deleted.');
        return opts.onRunnerRequest(current, method, params);
      }, tcp);
      connections.set(runner.id, conn);
      if (previous) previous.close(4000, 'replaced by a newer connection');
      const row = await store.recordHello(runner.id, hello, new Date().toISOString(), bus.instanceId);
      cluster.announce(runner.id, true);
      const welcome: LinkWelcome = { type: 'welcome', runnerId: runner.id, orgId: runner.org_id, heartbeatIntervalMs };
      conn.send(welcome);
      log.info({ runnerId: runner.id, version: hello.version, kid: hello.publicKey.kid }, 'runner connected');
      await publishRunner(row);
      opts.onConnected?.(conn);
    }

    /**
     * The runner's key is pinned at its first hello. A hello with another key is refused before it
     * can take over the link: the key is kept as pending for an admin to accept (or for Rotate key),
     * and the refusal is recorded once per key presented (the runner retries every few seconds).
     */
    async function keyAccepted(hello: LinkHello): Promise<boolean> {
      const { kid } = hello.publicKey;
      const check = await store.checkHelloKey(runner.id, hello.publicKey, new Date().toISOString());
      if (check.outcome === 'pinned') {
        await audit.record({ orgId: runner.org_id, runnerId: runner.id, actor: null, action: 'runner.key_registered', target: runner.name, details: { kid } });
        return true;
      }
      if (check.outcome === 'matches') return true;
      log.warn({ runnerId: runner.id, pinnedKid: check.pinnedKid, presentedKid: kid }, 'runner hello refused: its key is not the pinned one');
      if (check.newlyPending) {
        await audit.record({
          orgId: runner.org_id,
          runnerId: runner.id,
          actor: null,
          action: 'runner.key_refused',
          target: runner.name,
          details: { pinnedKid: check.pinnedKid, presentedKid: kid },
        });
        await publishRunner(await store.findById(runner.id));
      }
      ws.close(linkCloseCodes.keyNotAccepted, keyNotAcceptedReason);
      return false;
    }

    ws.on('close', () => {
      clearTimeout(helloTimer);
      if (!conn) return;
      conn.failPending();
      if (closed || connections.get(runner.id) !== conn) return;
      connections.delete(runner.id);
      log.info({ runnerId: runner.id }, 'runner disconnected');
      // Unless it has meanwhile connected to another instance.
      store
        .setInactiveIfLinkedTo(runner.id, bus.instanceId)
        .then(async (row) => {
          if (!row) return;
          cluster.announce(runner.id, false);
          await publishRunner(row);
        })
        .catch(logFailure('marking a runner inactive failed'));
    });
    ws.on('error', (err) => log.warn({ runnerId: runner.id, err: err.message }, 'runner link error'));
  }

  // Late heartbeats make a runner degraded; a long silence ends the connection (and so: inactive).
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const conn of connections.values()) {
      const silentFor = now - conn.lastHeartbeatAt;
      if (silentFor > heartbeatIntervalMs * 4) {
        conn.terminate();
      } else {
        store
          .findById(conn.runnerId)
          .then(async (row) => {
            if (!row) return conn.close(4003, 'runner deleted');
            const at = new Date(conn.lastHeartbeatAt).toISOString();
            const phase = silentFor > heartbeatIntervalMs * 2 ? 'degraded' : 'active';
            if (row.phase !== phase) {
              // Back from inactive (another instance may have given it up while the database was away).
              if (row.phase === 'inactive') cluster.announce(row.id, true);
              await publishRunner(await store.setPhase(row.id, phase, at));
            }
            else {
              await store.touch(row.id, at);
              // "Last seen" stays current in open dashboards without a event per heartbeat.
              if (++conn.sweepsSincePublish >= 5) {
                conn.sweepsSincePublish = 0;
                await publishRunner({ ...row, last_seen_at: at });
              }
            }
          })
          .catch(logFailure('runner heartbeat sweep failed'));
      }
    }
    // A runner shown connected that nobody hears from (its instance died with it, or it has not
    // reconnected anywhere): inactive. Every instance checks; the update is conditional, so one wins.
    if (bus.clustered) {
      const cutoff = new Date(now - heartbeatIntervalMs * 4).toISOString();
      store
        .markSilentInactive(cutoff)
        .then(async (rows) => {
          for (const row of rows) {
            cluster.forget(row.id, row.link_instance);
            await publishRunner(row);
          }
        })
        .catch(logFailure('marking silent runners inactive failed'));
    }
  }, heartbeatIntervalMs);
  sweeper.unref();

  return {
    attach(server: Server) {
      server.on('upgrade', (req, socket, head) => {
        if (new URL(req.url ?? '/', 'http://x').pathname === runnerLinkPath) handleUpgrade(req, socket, head);
        else socket.destroy();
      });
    },
    /** Load which instance holds which runner (several instances only). */
    start: () => cluster.start(),
    /** The runner's link, here or on another instance; undefined when it is connected nowhere. */
    connectionOf(runnerId: string): RunnerChannel | undefined {
      // Where the link is now, without waiting: here, or an instance known to hold it.
      const settled = (): RunnerChannel | undefined => connections.get(runnerId) ?? (cluster.heldElsewhere(runnerId) ? cluster.channel(runnerId, settled) : undefined);
      return connections.get(runnerId) ?? cluster.channel(runnerId, settled);
    },
    /** Requests from other instances for runners linked here, being answered now (draining waits for them). */
    get forwardedInFlight(): number {
      return cluster.answering;
    },
    /** Runner links held by this instance. */
    get localCount(): number {
      return connections.size;
    },
    isConnected(runnerId: string): boolean {
      return connections.has(runnerId) || cluster.isConnectedElsewhere(runnerId);
    },
    /** End a runner's connection with a reason it logs (its token was replaced, or it was deleted). */
    // With several instances the link may be on another one: it is asked over the cluster bus.
    disconnect(runnerId: string, code: number, reason: string): boolean {
      return disconnectLocal(runnerId, code, reason) || cluster.disconnectElsewhere(runnerId, code, reason);
    },
    async close() {
      closed = true;
      clearInterval(sweeper);
      cluster.close();
      // The runner reconnects at once, through the load balancer to another instance; the other
      // instances hold its requests meanwhile instead of answering "offline".
      cluster.announceMoving([...connections.keys()]);
      for (const conn of connections.values()) conn.close(linkCloseCodes.reconnect, 'BFF instance draining: reconnect');
      wss.close();
    },
  };
}
export type RunnerLinkServer = ReturnType<typeof createRunnerLinkServer>;
