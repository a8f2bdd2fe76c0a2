import type { ClusterBus } from '../store/cluster-bus.ts';

/**
 * Pub/sub behind the dashboard's Server-Sent Events. An event goes to every open stream of its org,
 * or only to one user's streams when `userId` is set (e.g. a Connect result). With several BFF
 * instances the event also goes over the cluster bus, so a browser whose stream is on another
 * instance gets it too.
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
  bus?.subscribe(eventTopic, (body) => {
    const { orgId, event, onlyUserId } = body as ClusterEvent;
    deliver(orgId, event, onlyUserId);
  });
  return {
    subscribe(orgId: string, userId: string, listener: Listener): () => void {
      const sub = { orgId, userId, listener };
      subscriptions.add(sub);
      return () => subscriptions.delete(sub);
    },
    publish(orgId: string, event: HubEvent, onlyUserId?: string): void {
      deliver(orgId, event, onlyUserId);
      if (bus?.clustered) bus.publish(eventTopic, { orgId, event, ...(onlyUserId ? { onlyUserId } : {}) } satisfies ClusterEvent);
    },
    get size() {
      return subscriptions.size;
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
