import express, { Router, type ErrorRequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.ts';
import {
  ConsumerInputError,
  consumerInputSchema,
  createConsumer,
} from '../oauth/create-consumer.ts';
import { addApiTokenTestRoutes } from './api-token-test-routes.ts';
import { FAULT_ENDPOINTS } from './fault-injector.ts';
import { newUser } from '../store/seed.ts';

const clockSchema = z.object({
  offsetSeconds: z
    .number()
    .finite()
    .min(-10 * 365 * 86400)
    .max(10 * 365 * 86400),
});

const count = z.number().int().min(0).max(1_000_000);
const faultSchema = z
  .object({
    endpoint: z.enum([...FAULT_ENDPOINTS, '*']),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    failNext: count.optional(),
    hangNext: count.optional(),
  })
  .strict();

const revokeSchema = z
  .object({ username: z.string().min(1), consumerKey: z.string().min(1).optional() })
  .strict();

const expireTokensSchema = z
  .object({ username: z.string().min(1), kind: z.enum(['access', 'refresh']) })
  .strict();

const consumerRequestSchema = consumerInputSchema.extend({ workspace: z.string().min(1) });

const userSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9_-]{1,62}$/),
    displayName: z.string().min(1).max(100).optional(),
    password: z.string().min(1).max(200).optional(),
  })
  .strict();

/**
 * The emulator's own test API under `/_emulator/*`: never part of Bitbucket's paths. Bound to
 * loopback by default; it has no authentication, like any test double.
 */
export function createTestApiRouter(context: EmulatorContext): Router {
  const router = Router();
  router.use('/_emulator', express.json({ limit: '64kb' }));

  router.get('/_emulator/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // A Bitbucket account, as signing up on bitbucket.org would make one (for load tests with many users).
  router.post('/_emulator/users', (req, res) => {
    const parsed = userSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { username, displayName, password } = parsed.data;
    if (context.users.findByUsername(username))
      return sendError(res, 409, 'conflict', `User "${username}" already exists.`);
    const user = context.users.create({
      ...newUser(username, displayName ?? username, new Date().toISOString()),
      password: password ?? username,
    });
    res
      .status(201)
      .json({ username: user.username, displayName: user.displayName, uuid: user.uuid });
  });

  // Does what Workspace settings › OAuth consumers › Add consumer does, as the workspace owner.
  router.post('/_emulator/consumers', (req, res) => {
    const parsed = consumerRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const workspace = context.repositories.findWorkspace(parsed.data.workspace);
    const ownerId = workspace && context.repositories.findOwnerId(workspace.id);
    const owner = ownerId === undefined ? undefined : context.users.findById(ownerId);
    if (!workspace || !owner)
      return sendError(
        res,
        404,
        'not_found',
        `Workspace "${parsed.data.workspace}" does not exist.`,
      );
    try {
      const consumer = createConsumer(context, workspace, owner, parsed.data);
      res.status(201).json({ key: consumer.key, secret: consumer.secret });
    } catch (error) {
      if (!(error instanceof ConsumerInputError)) throw error;
      sendError(res, 400, 'invalid_request', error.message, error.fields);
    }
  });

  router.get('/_emulator/clock', (_req, res) => {
    res.json(clockState(context));
  });

  router.post('/_emulator/clock', (req, res) => {
    const parsed = clockSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    context.clock.setOffsetSeconds(parsed.data.offsetSeconds);
    res.json(clockState(context));
  });

  router.get('/_emulator/faults', (_req, res) => {
    res.json(context.faults.snapshot());
  });

  router.post('/_emulator/faults', (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { endpoint, ...settings } = parsed.data;
    const defined = Object.fromEntries(
      Object.entries(settings).filter(([, value]) => value !== undefined),
    );
    res.json({ endpoint, ...context.faults.configure(endpoint, defined) });
  });

  router.delete('/_emulator/faults', (_req, res) => {
    context.faults.clear();
    res.status(204).end();
  });

  // Does what "Revoke" on Bitbucket's app authorizations page does: the grant and every access
  // and refresh token issued under it stop working.
  router.post('/_emulator/grants/revoke', (req, res) => {
    const parsed = revokeSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = context.users.findByUsername(parsed.data.username);
    if (!user)
      return sendError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const consumer =
      parsed.data.consumerKey === undefined
        ? undefined
        : context.consumers.findByKey(parsed.data.consumerKey);
    if (parsed.data.consumerKey !== undefined && !consumer) {
      return sendError(
        res,
        404,
        'not_found',
        `No consumer has the key "${parsed.data.consumerKey}".`,
      );
    }
    res.json({ revoked: context.oauth.revokeGrants(user.id, consumer?.id, context.clock.now()) });
  });

  // Makes a user's access tokens expire now (as 2 hours would), or their refresh tokens (as 3
  // months unused would), without moving the clock for everyone else.
  router.post('/_emulator/tokens/expire', (req, res) => {
    const parsed = expireTokensSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = context.users.findByUsername(parsed.data.username);
    if (!user)
      return sendError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const now = context.clock.now();
    const expired =
      parsed.data.kind === 'access'
        ? context.oauth.expireAccessTokens(user.id, now)
        : context.oauth.expireRefreshTokens(user.id, now);
    res.json({ expired });
  });

  router.get('/_emulator/stats', (_req, res) => {
    res.json(context.stats.snapshot());
  });

  router.post('/_emulator/reset-stats', (_req, res) => {
    context.stats.reset();
    res.status(204).end();
  });

  addApiTokenTestRoutes(router, context);

  router.use('/_emulator', (_req, res) =>
    sendError(res, 404, 'not_found', 'No such test API endpoint.'),
  );
  router.use('/_emulator', answerUnreadableBody);
  return router;
}

function clockState(context: EmulatorContext) {
  return {
    offsetSeconds: context.clock.offsetSeconds,
    now: new Date(context.clock.now()).toISOString(),
  };
}

function sendValidationError(res: Response, error: z.ZodError): void {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) fields[issue.path.join('.') || 'body'] ??= issue.message;
  sendError(res, 400, 'invalid_request', 'The request body is not valid. See fields.', fields);
}

/** The project's error shape (CONVENTIONS.md); the test API is ours, not Bitbucket's. */
function sendError(
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
  sendError(res, status, 'invalid_request', 'The request body must be JSON of at most 64 kB.');
};
