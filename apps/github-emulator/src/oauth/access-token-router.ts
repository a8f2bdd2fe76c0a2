import { generatePrefixedToken, hashOpaqueToken, type CodeRefusal } from '@runner-console/emulator-kit';
import express, { Router, type Request, type Response } from 'express';
import type { GitHubContext } from '../context.ts';
import type { OAuthClient, UserGrant } from '../state.ts';
import { authenticateClient, readClientCredentials, redirectUriAllowed } from './clients.ts';

/** GitHub App user tokens last 8 hours (`expires_in: 28800`). */
export const APP_ACCESS_TOKEN_LIFETIME_SECONDS = 28_800;
/** ghr_ refresh tokens last about 6 months (`refresh_token_expires_in: 15897600`). */
export const APP_REFRESH_TOKEN_LIFETIME_SECONDS = 15_897_600;

const TROUBLESHOOTING =
  'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

type TokenError = 'incorrect_client_credentials' | 'redirect_uri_mismatch' | 'bad_verification_code' | 'bad_refresh_token' | 'unsupported_grant_type';

const ERROR_DESCRIPTIONS: Readonly<Record<TokenError, string>> = {
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  redirect_uri_mismatch: 'The redirect_uri MUST match the registered callback URL for this application.',
  bad_verification_code: 'The code passed is incorrect or expired.',
  bad_refresh_token: 'The refresh token passed is incorrect or expired.',
  unsupported_grant_type: 'The grant type is not supported.',
};

const ERROR_ANCHORS: Readonly<Record<TokenError, string>> = {
  incorrect_client_credentials: '#incorrect-client-credentials',
  redirect_uri_mismatch: '#redirect-uri-mismatch',
  bad_verification_code: '#bad-verification-code',
  bad_refresh_token: '#bad-verification-code',
  unsupported_grant_type: '',
};

/**
 * `POST /login/oauth/access_token`: the code exchange, and the refresh of GitHub App user tokens.
 * The body is a form or JSON; the answer is JSON with `Accept: application/json`, a form
 * otherwise. Errors come with HTTP 200 and `{error, error_description, error_uri}`, as GitHub's do.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#2-users-are-redirected-back-to-your-site-by-github
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
 */
export function createAccessTokenRouter(context: GitHubContext): Router {
  const router = Router();
  router.post(
    '/login/oauth/access_token',
    context.faults.middleware('token', (res) => res.status(500).json({ error: 'server_error' })),
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
    express.json({ limit: '16kb' }),
    (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const grantType = typeof body.grant_type === 'string' ? body.grant_type : 'authorization_code';
      context.counts.count(`token:${grantType === 'refresh_token' ? 'refresh_token' : 'authorization_code'}`);
      const { clientId, clientSecret } = readClientCredentials(req, body);
      const client = authenticateClient(context.state, clientId, clientSecret);
      if (!client) return answerError(context, req, res, 'incorrect_client_credentials');
      context.counts.count(`authenticatedToken:${client.clientId}`);
      if (grantType === 'authorization_code') return exchangeCode(context, req, res, client, body);
      if (grantType === 'refresh_token') return refresh(context, req, res, client, body);
      answerError(context, req, res, 'unsupported_grant_type');
    },
  );
  return router;
}

function exchangeCode(context: GitHubContext, req: Request, res: Response, client: OAuthClient, body: Record<string, unknown>): void {
  const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : undefined);
  const code = text('code');
  if (code === undefined) return answerError(context, req, res, 'bad_verification_code');
  const redeemed = context.codes.redeem(code, {
    clientId: client.clientId,
    redirectUri: text('redirect_uri'),
    codeVerifier: text('code_verifier'),
  });
  if (!redeemed.ok) return answerError(context, req, res, codeError(redeemed.reason));
  // A code issued without redirect_uri still takes only one the app may use.
  const redirectUri = text('redirect_uri');
  if (redirectUri !== undefined && !redirectUriAllowed(client, redirectUri)) {
    return answerError(context, req, res, 'redirect_uri_mismatch');
  }
  answerTokens(context, req, res, issueTokens(context, client, redeemed.grant));
}

/** A wrong redirect_uri has its own error; every other refusal is GitHub's bad_verification_code. */
function codeError(reason: CodeRefusal): TokenError {
  return reason === 'redirect_uri_mismatch' ? 'redirect_uri_mismatch' : 'bad_verification_code';
}

/**
 * GitHub App user tokens only: the refresh token rotates, and the pair it belonged to stops
 * working (GitHub: "the refresh token and the access token that it was issued with are
 * invalidated"). Of two requests with the same refresh token only one succeeds.
 */
function refresh(context: GitHubContext, req: Request, res: Response, client: OAuthClient, body: Record<string, unknown>): void {
  const value = typeof body.refresh_token === 'string' ? body.refresh_token : undefined;
  if (client.kind !== 'github-app' || value === undefined) return answerError(context, req, res, 'bad_refresh_token');
  const used = context.refreshTokens.use(value, client.clientId);
  if (!used.ok) return answerError(context, req, res, 'bad_refresh_token');
  const previous = context.state.tokens.get(used.grant.accessTokenHash);
  if (previous) previous.revoked = true;
  const { accessTokenHash: _previous, ...grant } = used.grant;
  answerTokens(context, req, res, issueTokens(context, client, grant));
}

type TokenBody = Record<string, string | number>;

function issueTokens(context: GitHubContext, client: OAuthClient, grant: UserGrant): TokenBody {
  if (client.kind === 'oauth-app') {
    const accessToken = generatePrefixedToken('gho_');
    context.state.addToken(accessToken, {
      kind: 'oauth',
      userId: grant.userId,
      scopes: grant.scopes,
      clientId: client.clientId,
      expiresAt: null,
      revoked: false,
    });
    // GitHub lists the granted scopes comma-separated in the token response.
    return { access_token: accessToken, token_type: 'bearer', scope: grant.scopes.join(',') };
  }
  const accessToken = generatePrefixedToken('ghu_');
  context.state.addToken(accessToken, {
    kind: 'app-user',
    userId: grant.userId,
    scopes: [],
    clientId: client.clientId,
    expiresAt: context.clock.now() + APP_ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    revoked: false,
  });
  const refreshToken = context.refreshTokens.issue(client.clientId, { ...grant, accessTokenHash: hashOpaqueToken(accessToken) });
  return {
    access_token: accessToken,
    expires_in: APP_ACCESS_TOKEN_LIFETIME_SECONDS,
    refresh_token: refreshToken.value,
    refresh_token_expires_in: refreshToken.expiresInSeconds,
    scope: '',
    token_type: 'bearer',
  };
}

function answerError(context: GitHubContext, req: Request, res: Response, error: TokenError): void {
  context.counts.count(`tokenError:${error}`);
  answerTokens(context, req, res, {
    error,
    error_description: ERROR_DESCRIPTIONS[error],
    error_uri: `${TROUBLESHOOTING}/${ERROR_ANCHORS[error]}`,
  });
}

/** Always HTTP 200, errors included: JSON for `Accept: application/json`, a form otherwise. */
function answerTokens(_context: GitHubContext, req: Request, res: Response, body: TokenBody): void {
  res.set('Cache-Control', 'no-store');
  if ((req.get('accept') ?? '').includes('application/json')) {
    res.status(200).json(body);
    return;
  }
  const form = new URLSearchParams(Object.entries(body).map(([name, value]) => [name, String(value)]));
  res.status(200).type('application/x-www-form-urlencoded').send(form.toString());
}
