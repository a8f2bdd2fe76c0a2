import { sendTestApiError as sendError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import { ApiTokenInputError, apiTokenInputSchema, createApiToken } from '../api-tokens/create-api-token.ts';
import type { EmulatorContext } from '../emulator-context.ts';

const createSchema = apiTokenInputSchema.extend({ username: z.string().min(1).max(100) }).strict();
const revokeSchema = z.object({ token: z.string().min(1).max(1000) }).strict();

/**
 * `POST /_emulator/api-tokens` `{"username","scopes":[…],"expiresAt","name"?}` → 201
 * `{"token","email"}`: what the API token form does, for tests (DESIGN.md's fixed interface).
 * `POST /_emulator/api-tokens/revoke` `{"token"}` → `{"revoked": 0|1}`: the form's Revoke.
 * Mounted on the test API router, which has already parsed the JSON body.
 */
export function addApiTokenTestRoutes(router: Router, context: EmulatorContext): void {
  router.post('/_emulator/api-tokens', (req, res) => {
    const parsed = createSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { username, ...input } = parsed.data;
    const user = context.users.findByUsername(username);
    if (!user) return sendError(res, 404, 'not_found', `User "${username}" does not exist.`);
    try {
      const { token } = createApiToken(context, user, input);
      res.status(201).json({ token, email: user.email });
    } catch (error) {
      if (!(error instanceof ApiTokenInputError)) throw error;
      sendError(res, 400, 'invalid_request', error.message, error.fields);
    }
  });

  router.post('/_emulator/api-tokens/revoke', (req, res) => {
    const parsed = revokeSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const token = context.apiTokens.findByValue(parsed.data.token);
    if (!token) return sendError(res, 404, 'not_found', 'No API token has that value.');
    res.json({ revoked: context.apiTokens.revoke(token.userId, token.id, context.clock.now()) ? 1 : 0 });
  });
}
