import { createTestApiRouter as createKitTestApiRouter, sendTestApiError as sendError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from '../emulator-context.ts';
import {
  ConsumerInputError,
  consumerInputSchema,
  createConsumer,
} from '../oauth/create-consumer.ts';
import { addApiTokenTestRoutes } from './api-token-test-routes.ts';
import { newUser } from '../store/seed.ts';

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
 * The emulator's own test API under `/_emulator/*`: never part of Bitbucket's paths. Health,
 * clock, faults and stats come from the emulator kit; the routes here are Bitbucket's own. Bound
 * to loopback by default; it has no authentication, like any test double.
 */
export function createTestApiRouter(context: EmulatorContext): Router {
  return createKitTestApiRouter({
    clock: context.clock,
    faults: context.faults,
    stats: () => context.stats.snapshot(),
    resetStats: () => context.stats.reset(),
    addRoutes: (router) => addBitbucketTestRoutes(router, context),
  });
}

function addBitbucketTestRoutes(router: Router, context: EmulatorContext): void {
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

  addApiTokenTestRoutes(router, context);
}
