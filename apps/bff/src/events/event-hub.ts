/**
 * In-process pub/sub behind the dashboard's Server-Sent Events. An event goes to every open stream of
 * its org, or only to one user's streams when `userId` is set (e.g. a Connect result).
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

export function createEventHub() {
  const subscriptions = new Set<Subscription>();
  return {
    subscribe(orgId: string, userId: string, listener: Listener): () => void {
      const sub = { orgId, userId, listener };
      subscriptions.add(sub);
      return () => subscriptions.delete(sub);
    },
    publish(orgId: string, event: HubEvent, onlyUserId?: string): void {
      for (const sub of subscriptions) {
        if (sub.orgId === orgId && (!onlyUserId || sub.userId === onlyUserId)) sub.listener(event);
      }
    },
    get size() {
      return subscriptions.size;
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
