import { randomBytes } from 'node:crypto';
import { hashOpaqueToken } from '@runner-console/emulator-kit';
import express, { Router, type Request, type Response } from 'express';
import type { GitLabContext } from '../context.ts';
import type { Application, UserGrant } from '../state.ts';
import { authenticateClient } from './applications.ts';

/** Access tokens last 2 hours, not configurable since GitLab 15.0 (https://docs.gitlab.com/integration/oauth_provider/#access-token-expiration). */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;
/** Refresh tokens do not expire; they stop working when used or revoked. */
export const REFRESH_TOKEN_LIFETIME_MS = 100 * 365 * 86_400_000;

// Doorkeeper's error answers (doorkeeper-gem/doorkeeper: config/locales/en.yml).
const ERRORS = {
  invalid_client: { status: 401, description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' },
  invalid_grant: {
    status: 400,
    description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  },
  invalid_request: { status: 400, description: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.' },
  unsupported_grant_type: { status: 400, description: 'The authorization grant type is not supported by the authorization server.' },
} as const;
type TokenError = keyof typeof ERRORS;

/** Doorkeeper's tokens: 64 hex digits. */
export function newTokenValue(): string {
  return randomBytes(32).toString('hex');
}

/**
 * `POST /oauth/token` (authorization_code with PKCE, refresh_token), `GET /oauth/token/info` and
 * `POST /oauth/revoke`, as GitLab's Doorkeeper answers them. https://docs.gitlab.com/api/oauth2/
 */
export function createTokenRouter(context: GitLabContext): Router {
  const router = Router();
  const form = [express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), express.json({ limit: '16kb' })];

  router.post('/oauth/token', context.faults.middleware('token', (res) => res.status(500).json({ error: 'server_error' })), ...form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const grantType = body.grant_type;
    context.counts.count(`token:${grantType === 'refresh_token' ? 'refresh_token' : 'authorization_code'}`);
    const client = authenticateClient(context.state, req, body);
    if (!client.ok) return answerError(context, res, 'invalid_client');
    context.counts.count(`authenticatedToken:${client.application.uid}`);
    if (grantType === 'authorization_code') return exchangeCode(context, res, client.application, body);
    if (grantType === 'refresh_token') return refresh(context, res, client.application, body);
    answerError(context, res, grantType === undefined ? 'invalid_request' : 'unsupported_grant_type');
  });

  // https://docs.gitlab.com/api/oauth2/#retrieve-the-token-information
  router.get('/oauth/token/info', (req, res) => {
    const value = /^bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? (typeof req.query.access_token === 'string' ? req.query.access_token : undefined);
    const token = value === undefined ? undefined : context.state.findToken(value);
    const now = context.clock.now();
    if (!token || token.kind !== 'oauth' || token.revoked || (token.expiresAt !== null && token.expiresAt <= now)) {
      return res.status(401).json({ error: 'invalid_token', error_description: 'The access token is invalid', state: 'unauthorized' });
    }
    res.set('Cache-Control', 'no-store').json({
      resource_owner_id: token.userId,
      scope: token.scopes,
      scopes: token.scopes,
      expires_in: token.expiresAt === null ? null : Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
      expires_in_seconds: token.expiresAt === null ? null : Math.max(0, Math.floor((token.expiresAt - now) / 1000)),
      application: { uid: token.applicationUid },
      created_at: Math.floor(token.createdAt / 1000),
    });
  });

  // RFC 7009 as Doorkeeper answers it: 200 `{}` for a token revoked or unknown; a token of another
  // application is 403 unauthorized_client. Revoking an access token revokes its refresh token too.
  router.post('/oauth/revoke', ...form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = authenticateClient(context.state, req, body);
    if (!client.ok) return answerError(context, res, 'invalid_client');
    const value = typeof body.token === 'string' ? body.token : undefined;
    if (value === undefined) return answerError(context, res, 'invalid_request');
    const hash = hashOpaqueToken(value);
    const token = context.state.tokens.get(hash);
    const uid = client.application.uid;
    if (token && token.kind === 'oauth') {
      if (token.applicationUid !== uid) return res.status(403).json({ error: 'unauthorized_client', error_description: 'You are not authorized to revoke this token' });
      token.revoked = true;
      context.refreshTokens.revokeWhere((grant) => grant.accessTokenHash === hash);
    } else {
      // A refresh token: it and the access token it came with.
      const refreshed = context.refreshTokens.snapshot().find(([refreshHash, stored]) => refreshHash === hash && stored.clientId === uid);
      if (refreshed) {
        context.refreshTokens.revokeWhere((grant) => grant.accessTokenHash === refreshed[1].grant.accessTokenHash);
        const access = context.state.tokens.get(refreshed[1].grant.accessTokenHash);
        if (access) access.revoked = true;
      }
    }
    context.counts.count('revocations');
    res.status(200).json({});
  });
  return router;
}

function exchangeCode(context: GitLabContext, res: Response, application: Application, body: Record<string, unknown>): void {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const code = text('code');
  if (code === undefined) return answerError(context, res, 'invalid_request');
  // Doorkeeper needs the redirect_uri the authorize request named (RFC 6749 §4.1.3).
  const redirected = context.codes.redeem(code, { clientId: application.uid, redirectUri: text('redirect_uri') ?? '', codeVerifier: text('code_verifier') });
  if (!redirected.ok) return answerError(context, res, 'invalid_grant');
  answerTokens(res, issueTokens(context, application, redirected.grant));
}

/** A refresh spends the refresh token and revokes the access token it came with (Doorkeeper's refresh token rotation). */
function refresh(context: GitLabContext, res: Response, application: Application, body: Record<string, unknown>): void {
  const value = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
  if (value === undefined) return answerError(context, res, 'invalid_request');
  const used = context.refreshTokens.use(value, application.uid);
  if (!used.ok) return answerError(context, res, 'invalid_grant');
  const previous = context.state.tokens.get(used.grant.accessTokenHash);
  if (previous) previous.revoked = true;
  const { accessTokenHash: _previous, ...grant } = used.grant;
  answerTokens(res, issueTokens(context, application, grant));
}

function issueTokens(context: GitLabContext, application: Application, grant: UserGrant): Record<string, string | number> {
  const accessToken = newTokenValue();
  const now = context.clock.now();
  context.state.addToken(accessToken, {
    kind: 'oauth',
    id: context.state.newId(),
    userId: grant.userId,
    scopes: grant.scopes,
    applicationUid: application.uid,
    createdAt: now,
    expiresAt: now + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    revoked: false,
  });
  const refreshToken = context.refreshTokens.issue(application.uid, { ...grant, accessTokenHash: hashOpaqueToken(accessToken) });
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
    refresh_token: refreshToken.value,
    scope: grant.scopes.join(' '),
    created_at: Math.floor(now / 1000),
  };
}

function answerError(context: GitLabContext, res: Response, error: TokenError): void {
  context.counts.count(`tokenError:${error}`);
  res.set('Cache-Control', 'no-store');
  if (error === 'invalid_client') res.set('WWW-Authenticate', 'Bearer realm="Doorkeeper", error="invalid_client", error_description="Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."');
  res.status(ERRORS[error].status).json({ error, error_description: ERRORS[error].description });
}

function answerTokens(res: Response, body: Record<string, string | number>): void {
  res.set('Cache-Control', 'no-store').status(200).json(body);
}

export type { Request };
