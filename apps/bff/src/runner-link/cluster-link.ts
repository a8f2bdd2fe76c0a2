import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { ClusterBus } from '../store/cluster-bus.ts';
import type { RunnersStore } from '../store/runners-store.ts';
import { LinkRequestError, type RunnerConnection } from './runner-connection.ts';

/** What services talk to: a runner's link, whichever instance holds it. */
export interface RunnerChannel {
  readonly runnerId: string;
  request<T = unknown>(method: string, params: unknown, timeoutMs?: number): Promise<T>;
}

const topics = {
  /** { runnerId, instanceId | null }: who holds a runner's link now. */
  owner: 'link.owner',
  /** A request for a runner whose link is on instance `to`. */
  request: 'link.request',
  /** Its answer, for instance `to`. */
  response: 'link.response',
  /** { runnerId, code, reason }: whichever instance holds the link closes it (token replaced, runner deleted). */
  disconnect: 'link.disconnect',
} as const;

interface DisconnectMessage {
  runnerId: string;
  code: number;
  reason: string;
}

interface OwnerMessage {
  runnerId: string;
  instanceId: string | null;
  /** With instanceId null: the instance that lost the link. Messages of two instances may cross,
   * so "gone from X" must not undo "now on Y". */
  previous?: string;
  /** With instanceId null: X is draining and told the runner to reconnect; it is back in a moment. */
  moving?: boolean;
}
interface RequestMessage {
  to: string;
  from: string;
  id: string;
  runnerId: string;
  method: string;
  params: unknown;
  timeoutMs: number;
}
interface ResponseMessage {
  to: string;
  id: string;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/**
 * Runner-link requests across BFF instances, over the cluster bus (PostgreSQL LISTEN/NOTIFY). Each
 * instance keeps a map of which instance holds each runner's link (announced on connect and
 * disconnect, reloaded from `runners.link_instance` whenever the bus resyncs). A request for a runner
 * held elsewhere goes to that instance by method name and params, whatever the method, and its
 * answer or error comes back the same way. Nothing here knows the methods: a new link RPC works
 * across instances as soon as the runner answers it.
 */
/** How long a runner told to reconnect (its instance is draining) counts as moving, not offline. */
const movingGraceMs = 5_000;
/** The answer of an instance that no longer holds the link: the request never reached the runner. */
const notHereCode = 'link_not_here';

export function createClusterLink(opts: {
  bus: ClusterBus;
  store: RunnersStore;
  log: Logger;
  local: (runnerId: string) => RunnerConnection | undefined;
  /** Close a link this instance holds, because another instance was asked to. */
  disconnectLocal: (runnerId: string, code: number, reason: string) => void;
}) {
  const { bus, log } = opts;
  const owners = new Map<string, string>();
  /** Runners whose instance is draining, until when they count as moving. */
  const moving = new Map<string, number>();
  /** Requests from other instances being answered here (draining waits for them). */
  let answering = 0;
  const pending = new Map<string, { runnerId: string; owner: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  function setOwner(runnerId: string, instanceId: string | null, movedOnDrain = false) {
    const previous = owners.get(runnerId);
    if (instanceId && instanceId !== bus.instanceId) owners.set(runnerId, instanceId);
    else owners.delete(runnerId);
    // Requests sent to an instance that no longer holds the link will not be answered: say so now.
    if (previous && previous !== instanceId) {
      for (const [id, waiter] of pending) {
        if (waiter.runnerId !== runnerId || waiter.owner !== previous) continue;
        pending.delete(id);
        clearTimeout(waiter.timer);
        // A draining owner answers everything it took before it lets go: what is left never reached
        // the runner, and is sent again once the runner is linked elsewhere.
        waiter.reject(new LinkRequestError(movedOnDrain ? notHereCode : 'runner_offline', 'The runner disconnected before it answered.'));
      }
    }
  }

  async function reloadOwners() {
    const rows = await opts.store.listLinkOwners();
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.id);
      if (row.link_instance !== bus.instanceId) setOwner(row.id, row.link_instance);
    }
    for (const runnerId of [...owners.keys()]) if (!seen.has(runnerId)) setOwner(runnerId, null);
  }

  if (bus.clustered) {
    bus.subscribe(topics.owner, (body) => {
      const { runnerId, instanceId, previous, moving: isMoving } = body as OwnerMessage;
      if (instanceId) moving.delete(runnerId);
      else if (isMoving && owners.get(runnerId) === previous) moving.set(runnerId, Date.now() + movingGraceMs);
      if (instanceId || owners.get(runnerId) === previous) setOwner(runnerId, instanceId, Boolean(isMoving));
    });
    bus.subscribe(topics.request, (body) => {
      const req = body as RequestMessage;
      if (req.to === bus.instanceId) void answer(req);
    });
    bus.subscribe(topics.response, (body) => {
      const res = body as ResponseMessage;
      if (res.to !== bus.instanceId) return;
      const waiter = pending.get(res.id);
      if (!waiter) return;
      pending.delete(res.id);
      clearTimeout(waiter.timer);
      if (res.ok) waiter.resolve(res.result);
      else waiter.reject(new LinkRequestError(res.error?.code ?? 'internal', res.error?.message ?? 'The runner could not answer.'));
    });
    bus.subscribe(topics.disconnect, (body) => {
      const { runnerId, code, reason } = body as DisconnectMessage;
      if (opts.local(runnerId)) opts.disconnectLocal(runnerId, code, reason);
    });
    bus.onResync(() => {
      reloadOwners().catch((err) => log.warn({ err: (err as Error).message }, 'reloading runner link owners failed'));
    });
  }

  async function answer(req: RequestMessage) {
    const reply = (body: Omit<ResponseMessage, 'to' | 'id'>) => bus.publish(topics.response, { to: req.from, id: req.id, ...body } satisfies ResponseMessage);
    const conn = opts.local(req.runnerId);
    if (!conn) {
      reply({ ok: false, error: { code: notHereCode, message: 'The runner disconnected before it answered.' } });
      return;
    }
    answering++;
    try {
      reply({ ok: true, result: (await conn.request(req.method, req.params, req.timeoutMs)) ?? null });
    } catch (err) {
      const error =
        err instanceof LinkRequestError ? { code: err.code, message: err.message } : { code: 'internal', message: 'The BFF could not handle this request.' };
      reply({ ok: false, error });
    } finally {
      answering--;
    }
  }

  const isMoving = (runnerId: string) => (moving.get(runnerId) ?? 0) > Date.now();

  /**
   * A channel for a runner that is moving to another instance: each request waits (up to the grace
   * period) until the runner's link is somewhere again, then goes there. `find` is the link
   * server's lookup (here or elsewhere).
   */
  function waitingChannel(runnerId: string, find: () => RunnerChannel | undefined): RunnerChannel {
    return {
      runnerId,
      async request<T>(method: string, params: unknown, timeoutMs?: number): Promise<T> {
        const deadline = Date.now() + movingGraceMs;
        for (;;) {
          const found = find();
          if (found) return found.request<T>(method, params, timeoutMs);
          if (Date.now() > deadline) throw new LinkRequestError('runner_offline', 'The runner disconnected before it answered.');
          await new Promise((r) => setTimeout(r, 25));
        }
      },
    };
  }

  function remoteChannel(runnerId: string, owner: string, find: () => RunnerChannel | undefined): RunnerChannel {
    return {
      runnerId,
      async request<T>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
        try {
          return await remoteRequest<T>(runnerId, owner, method, params, timeoutMs);
        } catch (err) {
          // The owner no longer held the link (it moved on a drain): the runner never saw the
          // request, so it is sent again wherever the link is once that is known.
          if (!(err instanceof LinkRequestError) || err.code !== notHereCode) throw err;
          const deadline = Date.now() + movingGraceMs;
          for (;;) {
            const next = owners.get(runnerId) !== owner ? find() : undefined;
            if (next) return next.request<T>(method, params, timeoutMs);
            if (Date.now() > deadline) throw new LinkRequestError('runner_offline', err.message);
            await new Promise((r) => setTimeout(r, 25));
          }
        }
      },
    };
  }

  function remoteRequest<T>(runnerId: string, owner: string, method: string, params: unknown, timeoutMs: number): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      // The owner applies the timeout to the runner; this one also covers the two hops.
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new LinkRequestError('runner_timeout', 'The runner did not answer in time.'));
      }, timeoutMs + 2_000);
      pending.set(id, { runnerId, owner, resolve: resolve as (v: unknown) => void, reject, timer });
      bus.publish(topics.request, { to: owner, from: bus.instanceId, id, runnerId, method, params, timeoutMs } satisfies RequestMessage);
    });
  }

  return {
    /** Load who holds which link (at start; the bus keeps it current after that). */
    start: () => (bus.clustered ? reloadOwners() : Promise.resolve()),
    /** This instance now holds (or no longer holds) the runner's link. */
    announce(runnerId: string, held: boolean) {
      if (!bus.clustered) return;
      if (held) owners.delete(runnerId);
      bus.publish(topics.owner, (held ? { runnerId, instanceId: bus.instanceId } : { runnerId, instanceId: null, previous: bus.instanceId }) satisfies OwnerMessage);
    },
    /** The runner was found silent (its instance died with it, or it never came back): nobody holds it. */
    forget(runnerId: string, previous: string | null | undefined) {
      if (!bus.clustered) return;
      if (!previous || owners.get(runnerId) === previous) setOwner(runnerId, null);
      if (previous) bus.publish(topics.owner, { runnerId, instanceId: null, previous } satisfies OwnerMessage);
    },
    /** The runner's link on another instance; `find` looks it up again (here or elsewhere) if it moves. */
    channel(runnerId: string, find: () => RunnerChannel | undefined): RunnerChannel | undefined {
      const owner = owners.get(runnerId);
      if (owner) return remoteChannel(runnerId, owner, find);
      return isMoving(runnerId) ? waitingChannel(runnerId, find) : undefined;
    },
    /** Another instance is known to hold the runner's link (not merely moving). */
    heldElsewhere(runnerId: string): boolean {
      return owners.has(runnerId);
    },
    isConnectedElsewhere(runnerId: string): boolean {
      return owners.has(runnerId) || isMoving(runnerId);
    },
    /** This instance is draining: its runners are told to reconnect, and the others wait for them. */
    announceMoving(runnerIds: string[]) {
      if (!bus.clustered) return;
      for (const runnerId of runnerIds) bus.publish(topics.owner, { runnerId, instanceId: null, previous: bus.instanceId, moving: true } satisfies OwnerMessage);
    },
    /** Requests from other instances this one is answering now. */
    get answering() {
      return answering;
    },
    /** Ask the instance holding the runner's link to close it; false when no other instance holds it. */
    disconnectElsewhere(runnerId: string, code: number, reason: string): boolean {
      if (!bus.clustered || !owners.has(runnerId)) return false;
      bus.publish(topics.disconnect, { runnerId, code, reason } satisfies DisconnectMessage);
      return true;
    },
    close() {
      for (const [id, waiter] of pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new LinkRequestError('runner_offline', 'The BFF is shutting down.'));
        pending.delete(id);
      }
    },
  };
}
export type ClusterLink = ReturnType<typeof createClusterLink>;
