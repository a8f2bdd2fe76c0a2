import { generateAlphanumeric, hashOpaqueToken, sendTestApiError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { DataCenterContext } from './context.ts';
import { issueAccessToken } from './access-tokens.ts';
import { KNOWN_PERMISSIONS } from './state.ts';

const permission = z.enum(KNOWN_PERMISSIONS);
const linkSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    redirectUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    scopes: z.array(permission).min(1).max(10).default(['REPO_READ', 'REPO_WRITE']),
  })
  .strict();
const accessTokenSchema = z
  .object({
    username: z.string().trim().min(1).max(255),
    name: z.string().trim().min(1).max(100).default('Runner Console'),
    permissions: z.array(permission).max(10),
    expiryDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .strict();
const expireSchema = z.object({ username: z.string().trim().min(1), kind: z.enum(['access', 'refresh']) }).strict();

/** The test API (DESIGN.md › Providers): application links and HTTP access tokens, and an expiry switch. */
export function addDataCenterTestRoutes(router: Router, context: DataCenterContext): void {
  // What Administration › Application links › Create link › External application › Incoming does.
  router.post('/_emulator/application-links', (req, res) => {
    const parsed = linkSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const clientId = generateAlphanumeric(32).toLowerCase();
    const clientSecret = generateAlphanumeric(64).toLowerCase();
    context.state.links.set(clientId, { clientId, clientSecretHash: hashOpaqueToken(clientSecret), name: parsed.data.name, redirectUrl: parsed.data.redirectUrl, scopes: parsed.data.scopes });
    res.status(201).json({ clientId, clientSecret });
  });

  // What Manage account › HTTP access tokens › Create token does.
  router.post('/_emulator/access-tokens', (req, res) => {
    const parsed = accessTokenSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = context.state.findUser(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `No user ${parsed.data.username}.`);
    const token = issueAccessToken(context, user, parsed.data);
    res.status(201).json({ token: token.value, id: token.id, expiresAt: token.expiresAt });
  });

  // Makes a user's OAuth access tokens (or unused refresh tokens) expire now.
  router.post('/_emulator/tokens/expire', (req, res) => {
    const parsed = expireSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = context.state.findUser(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `No user ${parsed.data.username}.`);
    let count = 0;
    if (parsed.data.kind === 'access') {
      for (const token of context.state.tokensOf(user.id)) {
        if (token.kind === 'oauth' && (token.expiresAt === null || token.expiresAt > context.clock.now())) {
          token.expiresAt = context.clock.now();
          count += 1;
        }
      }
    } else {
      count = context.refreshTokens.expireWhere((grant) => grant.userId === user.id);
    }
    res.json({ expired: count });
  });
}
