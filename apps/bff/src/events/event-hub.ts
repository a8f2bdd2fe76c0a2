import type { ClusterBus } from '../store/cluster-bus.ts';

/**
 * Pub/sub behind the dashboard's Server-Sent Events. An event goes to every open stream of its org,
 * or only to one user's streams when `userId` is set (e.g. a Connect result). With several BFF
 * instances the event also goes over the cluster bus, so a browser whose stream is on another
 * instance gets it too. When this instance may have missed events of others (its listening
 * connection to the database dropped), each subscriber's `onMissed` runs: the event stream ends, and
 * the dashboard reconnects and refetches what it shows.
 */
export interface HubEvent {
  type: string;
  [key: string]: unknown;
}

type Listener = (event: HubEvent) => void;
interface Subscription {
  orgId: string;
  userId: string;
  listener: Listener;
  onMissed?: () => void;
}
interface ClusterEvent {
  orgId: string;
  event: HubEvent;
  onlyUserId?: string;
}

const eventTopic = 'hub.event';

export function createEventHub(bus?: ClusterBus) {
  const subscriptions = new Set<Subscription>();
  function deliver(orgId: string, event: HubEvent, onlyUserId?: string) {
    for (const sub of subscriptions) {
      if (sub.orgId === orgId && (!onlyUserId || sub.userId === onlyUserId)) sub.listener(event);
    }
  }
  bus?.onResync(() => {
    for (const sub of [...subscriptions]) sub.onMissed?.();
  });
  bus?.subscribe(eventTopic, (body) => {
    const { orgId, event, onlyUserId } = body as ClusterEvent;
    deliver(orgId, event, onlyUserId);
  });
  return {
    subscribe(orgId: string, userId: string, listener: Listener, onMissed?: () => void): () => void {
      const sub = { orgId, userId, listener, onMissed };
      subscriptions.add(sub);
      return () => subscriptions.delete(sub);
    },
    publish(orgId: string, event: HubEvent, onlyUserId?: string): void {
      deliver(orgId, event, onlyUserId);
      if (bus?.clustered) bus.publish(eventTopic, { orgId, event, ...(onlyUserId ? { onlyUserId } : {}) } satisfies ClusterEvent);
    },
    /**
     * This instance is going away: every stream here is sent a `reconnect` event and ended, so the
     * browser opens a new one at once (through the load balancer, on another instance).
     */
    askAllToReconnect(): void {
      for (const sub of [...subscriptions]) {
        sub.listener({ type: 'reconnect' });
        sub.onMissed?.();
      }
    },
    get size() {
      return subscriptions.size;
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
