import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type WebSocket from 'ws';
import { LinkMessage, type LinkErrorBody, type LinkRequest } from '@runner-console/contracts';
import type { Logger } from '../logger.ts';

export class LinkRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type IncomingRequestHandler = (method: string, params: unknown) => Promise<unknown>;

/**
 * One live runner connection: sends requests and matches their responses, and hands the runner's own
 * requests to `onRequest`. Messages are JSON and validated with the link contract.
 */
export class RunnerConnection {
  lastHeartbeatAt = Date.now();
  sweepsSincePublish = 0;
  private pending = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private corked = false;

  constructor(
    readonly runnerId: string,
    readonly orgId: string,
    private readonly socket: WebSocket,
    private readonly log: Logger,
    private readonly onRequest: IncomingRequestHandler,
    /** The TCP socket under the WebSocket, to coalesce the frames of one event-loop turn. */
    private readonly tcp?: Duplex,
  ) {}

  request<T = unknown>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new LinkRequestError('runner_timeout', 'The runner did not answer in time.'));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.sendRequest({ type: 'request', id, method, params });
    });
  }

  send(message: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }

  /**
   * Under load many API calls ask the runner something in the same event-loop turn. Corking the TCP
   * socket until the turn ends sends all their frames in one write (one syscall) instead of one
   * each; a request waits at most until the turn ends. (The runner corks its answers the same way.)
   */
  private sendRequest(message: LinkRequest): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.tcp && !this.corked) {
      this.corked = true;
      this.tcp.cork();
      setImmediate(() => {
        this.corked = false;
        this.tcp?.uncork();
      });
    }
    this.socket.send(JSON.stringify(message));
  }

  handleMessage(raw: string): void {
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch {
      this.log.warn({ runnerId: this.runnerId }, 'runner sent a message that is not JSON');
      return;
    }
    const parsed = LinkMessage.safeParse(data);
    if (!parsed.success) {
      this.log.warn({ runnerId: this.runnerId }, 'runner sent a message outside the link contract');
      return;
    }
    const msg = parsed.data;
    if (msg.type === 'heartbeat') {
      this.lastHeartbeatAt = Date.now();
    } else if (msg.type === 'response') {
      const waiter = this.pending.get(msg.id);
      if (!waiter) return;
      this.pending.delete(msg.id);
      clearTimeout(waiter.timer);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new LinkRequestError(msg.error.code, msg.error.message));
    } else if (msg.type === 'request') {
      void this.answer(msg);
    }
  }

  private async answer(req: LinkRequest): Promise<void> {
    try {
      const result = await this.onRequest(req.method, req.params);
      this.send({ type: 'response', id: req.id, ok: true, result: result ?? null });
    } catch (err) {
      const error: LinkErrorBody =
        err instanceof LinkRequestError
          ? { code: err.code, message: err.message }
          : { code: 'internal', message: 'The BFF could not handle this request.' };
      if (!(err instanceof LinkRequestError)) this.log.error({ err, method: req.method }, 'runner request failed');
      this.send({ type: 'response', id: req.id, ok: false, error });
    }
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  failPending(): void {
    for (const [id, waiter] of this.pending) {
      clearTimeout(waiter.timer);
      waiter.reject(new LinkRequestError('runner_offline', 'The runner disconnected before it answered.'));
      this.pending.delete(id);
    }
  }
}
