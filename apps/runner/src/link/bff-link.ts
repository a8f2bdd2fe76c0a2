import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { LinkMessage, LinkWelcome, linkCloseCodes, type LinkHello, type LinkRequest } from '@runner-console/contracts';
import type { Logger } from '../logger.ts';

export class LinkCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type LinkMethodHandler = (params: unknown) => Promise<unknown>;

/**
 * The runner's outbound connection to the BFF: it dials out (a runner behind a firewall needs no
 * inbound port for this), says hello with its public key, heartbeats, answers the BFF's requests and
 * reconnects with backoff when the connection drops.
 */
export function createBffLink(opts: {
  bffUrl: string;
  token: string;
  hello: () => LinkHello;
  log: Logger;
  handlers: Record<string, LinkMethodHandler>;
  onWelcome?: (welcome: LinkWelcome) => void;
  /**
   * The BFF ended the link for good (close codes 4003 runner deleted, 4004 token revoked): the token
   * will not work again, so the link stops instead of reconnecting.
   */
  onRevoked?: (reason: string, code: number) => void;
  /**
   * How long to wait before trying again after the BFF refused this runner's key (close 4005) or
   * its hello (4002): an admin has to act first, so the link asks at a modest pace meanwhile.
   */
  refusedRetryMs?: number;
  /** The first reconnect delay after a drop, doubled per attempt up to 5 s (tests make it long). */
  backoffBaseMs?: number;
}) {
  const { log } = opts;
  const wsUrl = `${opts.bffUrl.replace(/^http/, 'ws')}/api/runner-link`;
  let socket: WebSocket | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let stopped = false;
  let welcomed = false;
  const pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  // Answers given in one event-loop turn leave in one TCP write: the socket under the WebSocket is
  // corked until the turn ends (the BFF corks its requests the same way). Under load the runner
  // answers many requests per turn, and a write per frame was most of the link's cost. The runner's
  // own requests (a Connect result) go out at once: the dashboard is waiting for them.
  let tcp: Socket | undefined;
  let corked = false;
  function sendAnswer(ws: WebSocket, text: string) {
    if (tcp && !corked) {
      corked = true;
      const corkedSocket = tcp;
      corkedSocket.cork();
      setImmediate(() => {
        corked = false;
        corkedSocket.uncork();
      });
    }
    ws.send(text);
  }

  function connect() {
    if (stopped) return;
    const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${opts.token}` }, handshakeTimeout: 5_000 });
    socket = ws;
    welcomed = false;
    tcp = undefined;
    ws.once('upgrade', (res) => {
      tcp = res.socket;
    });
    ws.on('open', () => ws.send(JSON.stringify(opts.hello())));
    ws.on('message', (data) => onMessage(ws, data.toString()));
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      if (status === 401)
        log.error(
          'The BFF refused the runner token: it was replaced by a new token, the runner was deleted, or it was mistyped. Start the runner with the command from Settings › Runners › this runner › New token.',
        );
      else log.warn({ status }, 'The BFF refused the runner link');
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'runner link error'));
    ws.on('close', (code, reasonBuffer) => {
      clearInterval(heartbeat);
      if (code === linkCloseCodes.runnerDeleted || code === linkCloseCodes.tokenRevoked) {
        const reason = reasonBuffer.toString() || (code === linkCloseCodes.runnerDeleted ? 'runner deleted in Runner Console' : 'runner token revoked');
        stopped = true;
        for (const [id, p] of pending) {
          clearTimeout(p.timer);
          p.reject(new LinkCallError('bff_unreachable', 'The BFF ended the connection.'));
          pending.delete(id);
        }
        log.error({ closeCode: code }, `The BFF disconnected this runner for good: ${reason}.`);
        opts.onRevoked?.(reason, code);
        return;
      }
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new LinkCallError('bff_unreachable', 'The connection to the BFF dropped.'));
        pending.delete(id);
      }
      if (code === linkCloseCodes.keyNotAccepted || code === linkCloseCodes.invalidHello) {
        const retryMs = opts.refusedRetryMs ?? 15_000;
        const reason = reasonBuffer.toString();
        if (code === linkCloseCodes.keyNotAccepted) {
          const { kid } = opts.hello().publicKey;
          log.error(
            { closeCode: code, kid },
            `The BFF refused this runner's key (${reason || 'runner key not accepted'}). Runner Console pinned another key for this runner. If you reinstalled it or moved its data folder, an admin accepts this key (id ${kid}) on the runner's page in Settings › Runners; otherwise someone else may hold its token: replace the token there. Trying again every ${Math.round(retryMs / 1000)} s.`,
          );
        } else {
          log.error({ closeCode: code }, `The BFF refused this runner's hello (${reason || 'invalid hello'}). Check the runner's settings; trying again every ${Math.round(retryMs / 1000)} s.`);
        }
        retryTimer = setTimeout(connect, retryMs);
        return;
      }
      if (code === linkCloseCodes.reconnect) {
        // The BFF instance is draining (a restart): the load balancer sends us to another one now.
        log.info('the BFF asked this runner to reconnect (an instance is restarting); reconnecting now');
        attempt = 0;
        connect();
        return;
      }
      if (welcomed) log.warn('lost the connection to the BFF; reconnecting');
      scheduleReconnect();
    });
  }

  function scheduleReconnect() {
    if (stopped) return;
    const base = opts.backoffBaseMs ?? 200;
    const delay = Math.min(Math.max(5_000, base), base * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt = Math.min(attempt + 1, 6);
    retryTimer = setTimeout(connect, delay);
  }

  function onMessage(ws: WebSocket, raw: string) {
    let parsed;
    try {
      parsed = LinkMessage.safeParse(JSON.parse(raw));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const msg = parsed.data;
    if (msg.type === 'welcome') {
      welcomed = true;
      attempt = 0;
      log.info({ runnerId: msg.runnerId }, 'connected to the BFF');
      clearInterval(heartbeat);
      heartbeat = setInterval(() => send({ type: 'heartbeat' }), msg.heartbeatIntervalMs);
      opts.onWelcome?.(LinkWelcome.parse(msg));
    } else if (msg.type === 'request') {
      void answer(ws, msg);
    } else if (msg.type === 'response') {
      const waiter = pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id);
      clearTimeout(waiter.timer);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new LinkCallError(msg.error.code, msg.error.message));
    }
  }

  async function answer(ws: WebSocket, req: LinkRequest) {
    const handler = opts.handlers[req.method];
    let reply;
    try {
      if (!handler) throw new LinkCallError('unknown_method', `This runner does not know "${req.method}". Update the runner.`);
      reply = { type: 'response', id: req.id, ok: true, result: (await handler(req.params)) ?? null };
    } catch (err) {
      const known = err instanceof LinkCallError || (err as { code?: unknown })?.code;
      const code = known ? String((err as { code: string }).code) : 'internal';
      const message = known ? (err as Error).message : 'The runner could not handle this request.';
      if (!known) log.error({ err, method: req.method }, 'link request failed');
      reply = { type: 'response', id: req.id, ok: false, error: { code, message: message.slice(0, 2000) } };
    }
    if (ws.readyState === ws.OPEN) sendAnswer(ws, JSON.stringify(reply));
  }

  function send(message: unknown) {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  return {
    start: connect,
    get connected() {
      return welcomed && socket?.readyState === WebSocket.OPEN;
    },
    /** Ask the BFF something (e.g. redeem a Connect flow). */
    request<T = unknown>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
      if (!welcomed) return Promise.reject(new LinkCallError('bff_unreachable', 'The runner is not connected to the BFF right now.'));
      const id = randomUUID();
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new LinkCallError('bff_timeout', 'The BFF did not answer in time.'));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        send({ type: 'request', id, method, params });
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      socket?.close(1001, 'runner stopping');
    },
  };
}
export type BffLink = ReturnType<typeof createBffLink>;

/**
 * What the runner logs as it stops for good. A replaced token is fixed by the start command that
 * New token shows on the runner's page (it carries the new token); a deleted runner must be set up
 * again.
 */
export function stoppedForGoodMessage(reason: string, code: number): string {
  if (code === linkCloseCodes.tokenRevoked) {
    return `Stopping: ${reason}. This token will not work again. To start this runner with its new token, run the command shown under New token on its page in Runner Console (Settings › Runners › this runner).`;
  }
  return `Stopping: ${reason}. This runner cannot connect with its token again; set it up again from Settings › Runners › Set up a new runner if it is still needed.`;
}
