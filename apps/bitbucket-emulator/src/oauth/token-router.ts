import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import type { Consumer } from '../store/consumer-store.ts';
import { authenticateClient, readClientCredentials } from './client-authentication.ts';
import { OAuthError, sendOAuthError } from './oauth-error.ts';
import { hashOpaqueToken } from '@runner-console/emulator-kit';
import { redirectUriMatchesCallback } from './redirect-uri.ts';
import type { TokenResponseBody } from './token-issuer.ts';

type FormParams = Readonly<Record<string, string>>;

/**
 * `POST /site/oauth2/access_token`: the token endpoint.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/ and RFC 6749 §4.1.3, §4.4, §6.
 */
export function createTokenRouter(context: EmulatorContext): Router {
  const router = Router();
  router.post(
    '/site/oauth2/access_token',
    context.faults.middleware('token', (res) =>
      sendOAuthError(
        res,
        new OAuthError('server_error', 'Something went wrong. Try again in a moment.'),
      ),
    ),
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 50 }),
    (req, res) => {
      try {
        const body = handleTokenRequest(context, req);
        res.set('Cache-Control', 'no-store').set('Pragma', 'no-cache').json(body);
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        context.stats.countTokenError(error.code);
        sendOAuthError(res, error);
      }
    },
  );
  router.use('/site/oauth2/access_token', answerUnreadableBody(context));
  return router;
}

/** A body the parser refused (malformed, too large) is an invalid_request, not a server error. */
function answerUnreadableBody(context: EmulatorContext): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number' || status >= 500) return next(error);
    context.stats.countTokenError('invalid_request');
    sendOAuthError(res, new OAuthError('invalid_request', 'The request body could not be read.'));
  };
}

function handleTokenRequest(context: EmulatorContext, req: Request): TokenResponseBody {
  const form = readForm(req);
  const grantType = form.grant_type;
  if (grantType === undefined)
    throw new OAuthError('invalid_request', 'Missing grant_type parameter.');
  context.stats.countToken(grantType);
  const consumer = authenticateClient(context.consumers, readClientCredentials(req, form));
  context.stats.countAuthenticatedToken(consumer.key);
  switch (grantType) {
    case 'authorization_code':
      return exchangeAuthorizationCode(context, consumer, form);
    case 'refresh_token':
      return exchangeRefreshToken(context, consumer, form);
    case 'client_credentials':
      return issueClientCredentials(context, consumer);
    default:
      throw new OAuthError('unsupported_grant_type', `Unsupported grant type: ${grantType}`);
  }
}

/** The form body. Only application/x-www-form-urlencoded is accepted, and no parameter twice (RFC 6749 §3.2). */
function readForm(req: Request): FormParams {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw new OAuthError(
      'invalid_request',
      'The request body must be application/x-www-form-urlencoded.',
    );
  }
  const body: unknown = req.body;
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(body ?? {})) {
    if (typeof value !== 'string')
      throw new OAuthError('invalid_request', `Parameter ${name} was sent more than once.`);
    form[name] = value;
  }
  return form;
}

function exchangeAuthorizationCode(
  context: EmulatorContext,
  consumer: Consumer,
  form: FormParams,
): TokenResponseBody {
  if (!form.code) throw new OAuthError('invalid_request', 'Missing code parameter.');
  const now = context.clock.now();
  const code = context.oauth.findCodeByHash(hashOpaqueToken(form.code));
  if (!code || code.consumerId !== consumer.id)
    throw new OAuthError('invalid_grant', 'The specified code is not valid.');
  if (code.usedAt !== null) return refuseReplayedCode(context, code.id, now);
  if (code.expiresAt <= now)
    throw new OAuthError('invalid_grant', 'The specified code has expired.');
  checkTokenRedirectUri(consumer, code.redirectUri, form.redirect_uri);
  const grant = context.oauth.findGrant(code.grantId);
  if (!grant || grant.revokedAt !== null)
    throw new OAuthError('invalid_grant', 'Access was revoked by the user.');
  if (!context.oauth.markCodeUsed(code.id, now)) return refuseReplayedCode(context, code.id, now);
  return context.tokens.issueWithNewRefreshToken({
    consumerId: consumer.id,
    userId: code.userId,
    grantId: code.grantId,
    codeId: code.id,
    scopes: code.scopes,
    grantType: 'authorization_code',
  });
}

/**
 * RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization server
 * MUST deny the request and SHOULD revoke (when possible) all tokens previously issued based on
 * that authorization code."
 */
function refuseReplayedCode(context: EmulatorContext, codeId: number, now: number): never {
  context.oauth.revokeTokensFromCode(codeId, now);
  throw new OAuthError('invalid_grant', 'The specified code has already been used.');
}

/**
 * RFC 6749 §4.1.3: redirect_uri is required, and must be identical, when the authorize request
 * had one. When it had none, a redirect_uri sent here must still fit the consumer's callback URL.
 */
function checkTokenRedirectUri(
  consumer: Consumer,
  authorizeRedirectUri: string | null,
  tokenRedirectUri: string | undefined,
): void {
  if (authorizeRedirectUri !== null) {
    if (tokenRedirectUri !== authorizeRedirectUri) {
      throw new OAuthError(
        'invalid_grant',
        'redirect_uri does not match the one sent to the authorize endpoint.',
      );
    }
    return;
  }
  if (
    tokenRedirectUri !== undefined &&
    !redirectUriMatchesCallback(tokenRedirectUri, consumer.callbackUrl)
  ) {
    throw new OAuthError(
      'invalid_grant',
      "redirect_uri does not match the consumer's callback URL.",
    );
  }
}

function exchangeRefreshToken(
  context: EmulatorContext,
  consumer: Consumer,
  form: FormParams,
): TokenResponseBody {
  if (!form.refresh_token)
    throw new OAuthError('invalid_request', 'Missing refresh_token parameter.');
  const refreshToken = context.oauth.findRefreshTokenByHash(hashOpaqueToken(form.refresh_token));
  if (
    !refreshToken ||
    refreshToken.consumerId !== consumer.id ||
    refreshToken.revokedAt !== null ||
    refreshToken.replacedAt !== null
  ) {
    throw new OAuthError('invalid_grant', 'Invalid refresh_token');
  }
  // "Refresh tokens that are not used for 3 months will expire": the user must authorize again.
  // The wording is inferred.
  if (refreshToken.expiresAt <= context.clock.now()) {
    throw new OAuthError(
      'invalid_grant',
      'The refresh token has expired: it was not used for 3 months. The user must authorize the app again.',
    );
  }
  const issued = context.tokens.rotateRefreshToken(refreshToken);
  // Another request used the same refresh token a moment ago.
  if (!issued) throw new OAuthError('invalid_grant', 'Invalid refresh_token');
  return issued;
}

/**
 * "Obtain an access token that represents not an end user, but the owner of the client/consumer."
 * Only private consumers may use it; others get unauthorized_client (RFC 6749 §5.2; the exact
 * Bitbucket wording is inferred). The token acts as the user who created the consumer (inferred).
 * Since May 2026 it comes without a refresh token.
 */
function issueClientCredentials(context: EmulatorContext, consumer: Consumer): TokenResponseBody {
  if (!consumer.isPrivate) {
    throw new OAuthError(
      'unauthorized_client',
      'The client_credentials grant is only available to private consumers.',
    );
  }
  return context.tokens.issueWithoutRefreshToken({
    consumerId: consumer.id,
    userId: consumer.createdByUserId,
    grantId: null,
    codeId: null,
    scopes: consumer.scopes,
    grantType: 'client_credentials',
  });
}
