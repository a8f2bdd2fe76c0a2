import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Clock } from '../clock.ts';
import { FAULT_ENDPOINTS, type FaultInjector } from '../faults/fault-injector.ts';

const clockSchema = z.object({
  offsetSeconds: z
    .number()
    .finite()
    .min(-10 * 365 * 86400)
    .max(10 * 365 * 86400),
});

const count = z.number().int().min(0).max(1_000_000);
export const faultSchema = z
  .object({
    endpoint: z.enum([...FAULT_ENDPOINTS, '*']),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    failNext: count.optional(),
    hangNext: count.optional(),
    rateLimitNext: count.optional(),
    rateLimit: z
      .object({
        status: z.union([z.literal(403), z.literal(429)]),
        resetSeconds: z.number().int().min(1).max(86_400),
      })
      .strict()
      .optional(),
  })
  .strict();

export interface TestApiBase {
  clock: Clock;
  faults: FaultInjector;
  /** What `GET /_emulator/stats` answers. */
  stats(): unknown;
  resetStats(): void;
  /** The emulator's own test routes, added after the shared ones and before the 404 catch-all. */
  addRoutes(router: Router): void;
}

/**
 * The test API every emulator shares, under `/_emulator/*` (never a provider's path): health,
 * clock, faults, call counts. Bound to loopback by default; like any test double it has no
 * authentication. Errors use the project's shape `{"error":{"code","message","fields"?}}`.
 */
export function createTestApiRouter(base: TestApiBase): Router {
  const router = Router();
  router.use('/_emulator', express.json({ limit: '64kb' }));

  router.get('/_emulator/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/_emulator/clock', (_req, res) => {
    res.json(clockState(base.clock));
  });

  router.post('/_emulator/clock', (req, res) => {
    const parsed = clockSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    base.clock.setOffsetSeconds(parsed.data.offsetSeconds);
    res.json(clockState(base.clock));
  });

  router.get('/_emulator/faults', (_req, res) => {
    res.json(base.faults.snapshot());
  });

  router.post('/_emulator/faults', (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { endpoint, ...settings } = parsed.data;
    const defined = Object.fromEntries(
      Object.entries(settings).filter(([, value]) => value !== undefined),
    );
    res.json({ endpoint, ...base.faults.configure(endpoint, defined) });
  });

  router.delete('/_emulator/faults', (_req, res) => {
    base.faults.clear();
    res.status(204).end();
  });

  router.get('/_emulator/stats', (_req, res) => {
    res.json(base.stats());
  });

  router.post('/_emulator/reset-stats', (_req, res) => {
    base.resetStats();
    res.status(204).end();
  });

  base.addRoutes(router);

  router.use('/_emulator', (_req, res) =>
    sendTestApiError(res, 404, 'not_found', 'No such test API endpoint.'),
  );
  router.use('/_emulator', answerUnreadableBody);
  return router;
}

function clockState(clock: Clock) {
  return { offsetSeconds: clock.offsetSeconds, now: new Date(clock.now()).toISOString() };
}

export function sendValidationError(res: Response, error: z.ZodError): void {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
  sendTestApiError(res, 400, 'invalid_request', 'The request body is not valid. See fields.', fields);
}

/** The project's error shape (the test API is ours, not the provider's). */
export function sendTestApiError(
  res: Response,
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): void {
  res.status(status).json({ error: { code, message, ...(fields ? { fields } : {}) } });
}

const answerUnreadableBody: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status >= 500) return next(error);
  sendTestApiError(res, status, 'invalid_request', 'The request body must be JSON of at most 64 kB.');
};
