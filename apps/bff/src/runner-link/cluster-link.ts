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
  const pending = new Map<string, { runnerId: string; owner: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  function setOwner(runnerId: string, instanceId: string | null) {
    const previous = owners.get(runnerId);
    if (instanceId && instanceId !== bus.instanceId) owners.set(runnerId, instanceId);
    else owners.delete(runnerId);
    // Requests sent to an instance that no longer holds the link will not be answered: say so now.
    if (previous && previous !== instanceId) {
      for (const [id, waiter] of pending) {
        if (waiter.runnerId !== runnerId || waiter.owner !== previous) continue;
        pending.delete(id);
        clearTimeout(waiter.timer);
        waiter.reject(new LinkRequestError('runner_offline', 'The runner disconnected before it answered.'));
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
      const { runnerId, instanceId, previous } = body as OwnerMessage;
      if (instanceId || owners.get(runnerId) === previous) setOwner(runnerId, instanceId);
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
      reply({ ok: false, error: { code: 'runner_offline', message: 'The runner disconnected before it answered.' } });
      return;
    }
    try {
      reply({ ok: true, result: (await conn.request(req.method, req.params, req.timeoutMs)) ?? null });
    } catch (err) {
      const error =
        err instanceof LinkRequestError ? { code: err.code, message: err.message } : { code: 'internal', message: 'The BFF could not handle this request.' };
      reply({ ok: false, error });
    }
  }

  function remoteChannel(runnerId: string, owner: string): RunnerChannel {
    return {
      runnerId,
      request<T>(method: string, params: unknown, timeoutMs = 10_000): Promise<T> {
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
      },
    };
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
    channel(runnerId: string): RunnerChannel | undefined {
      const owner = owners.get(runnerId);
      return owner ? remoteChannel(runnerId, owner) : undefined;
    },
    isConnectedElsewhere(runnerId: string): boolean {
      return owners.has(runnerId);
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
