import express, { type Express } from 'express';
import helmet from 'helmet';

/** The runner's public HTTP side: what browsers reach (health now; the OAuth start and callback). */
export function createPublicApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet({ crossOriginOpenerPolicy: { policy: 'unsafe-none' } }));
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  return app;
}
