import { Router } from 'express';
import type { EventHub } from '../events/event-hub.ts';
import { requireUser } from '../http/request-context.ts';

export const eventsPath = '/api/events';

/** Server-Sent Events for the dashboard: live runner phases, integration changes, Connect results. */
export function createEventRoutes(hub: EventHub): Router {
  const router = Router();
  router.get(eventsPath, (req, res) => {
    const user = requireUser(req);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    res.flushHeaders();
    const unsubscribe = hub.subscribe(
      user.orgId,
      user.id,
      (event) => {
        res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      },
      // Events from other instances may have been missed, or this instance is draining (after a
      // `reconnect` event): the browser reconnects and refetches.
      () => res.end(),
    );
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  });
  return router;
}
