import { randomBytes } from 'node:crypto';
import { generateAlphanumeric, hashOpaqueToken, sendTestApiError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { GitLabContext } from '../context.ts';

const username = z.string().trim().min(1).max(255);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const scope = z.string().regex(/^[a-z_]{1,40}$/, 'must be a scope such as read_api');

const applicationSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    // GitLab's form takes one redirect URI per line.
    redirectUri: z.string().min(1).max(4000).transform((value) => value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)).pipe(z.array(httpUrl).min(1).max(20)),
    scopes: z.array(scope).min(1).max(20),
    confidential: z.boolean().default(true),
  })
  .strict();
const tokenSchema = z
  .object({
    username,
    name: z.string().trim().min(1).max(255).default('Runner Console'),
    scopes: z.array(scope).min(1).max(20),
    expiresAt: z.iso.date({ error: 'must be a date, YYYY-MM-DD' }).nullable().optional(),
  })
  .strict();
const revokeSchema = z.object({ username, applicationId: z.string().min(1).optional() }).strict();
const expireSchema = z.object({ username }).strict();

/** GitLab's own paths: applications and personal access tokens, as their settings pages make them. */
export function addGitLabTestRoutes(router: Router, context: GitLabContext): void {
  const { state } = context;

  // What User settings › Applications › Add new application does.
  router.post('/_emulator/applications', (req, res) => {
    const parsed = applicationSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const uid = randomBytes(32).toString('hex');
    // Application secrets carry the gloas- prefix (GitLab 15.9 and later).
    const secret = `gloas-${randomBytes(32).toString('hex')}`;
    state.applications.set(uid, {
      uid,
      secretHash: hashOpaqueToken(secret),
      name: parsed.data.name,
      redirectUris: parsed.data.redirectUri,
      scopes: parsed.data.scopes,
      confidential: parsed.data.confidential,
    });
    res.status(201).json({ applicationId: uid, secret });
  });

  // What User settings › Access tokens › Add new token does (glpat-…). A token stops working at
  // 00:00 UTC on its expiry date (https://docs.gitlab.com/user/profile/personal_access_tokens/#when-personal-access-tokens-expire).
  router.post('/_emulator/personal-access-tokens', (req, res) => {
    const parsed = tokenSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByUsername(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const token = `glpat-${generateAlphanumeric(20)}`;
    state.addToken(token, {
      kind: 'personal',
      id: state.newId(),
      userId: user.id,
      name: parsed.data.name,
      scopes: parsed.data.scopes,
      createdAt: context.clock.now(),
      expiresAt: parsed.data.expiresAt ? Date.parse(`${parsed.data.expiresAt}T00:00:00Z`) : null,
      revoked: false,
    });
    res.status(201).json({ token });
  });

  // What "Revoke" under User settings › Applications › Authorized applications does.
  router.post('/_emulator/authorizations/revoke', (req, res) => {
    const parsed = revokeSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByUsername(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const uids = parsed.data.applicationId === undefined ? [...state.applications.keys()] : [parsed.data.applicationId];
    let revoked = 0;
    for (const uid of uids) revoked += state.revokeAuthorization(user.id, uid);
    context.refreshTokens.revokeWhere((grant) => grant.userId === user.id && uids.includes(grant.applicationUid));
    res.json({ revoked });
  });

  // The user's OAuth access tokens expire now (their 2 hours are over); refresh tokens keep working.
  router.post('/_emulator/tokens/expire', (req, res) => {
    const parsed = expireSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByUsername(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const now = context.clock.now();
    let expired = 0;
    for (const token of state.tokens.values()) {
      if (token.kind === 'oauth' && token.userId === user.id && !token.revoked && (token.expiresAt === null || token.expiresAt > now)) {
        token.expiresAt = now;
        expired += 1;
      }
    }
    res.json({ expired });
  });
}
