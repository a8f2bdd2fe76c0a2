import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { Grant } from '../store/oauth-store.ts';
import type { User } from '../store/user-store.ts';
import { renderConsentPage } from '../ui/consent-page.ts';
import { renderErrorPage, renderExpiredFormPage } from '../ui/error-page.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { signInPath } from '../ui/signed-in-user.ts';
import { generateAlphanumeric, hashOpaqueToken } from '@runner-console/emulator-kit';
import { redirectUriMatchesCallback } from './redirect-uri.ts';
import { expandScopes } from './scopes.ts';

const AUTHORIZE_PATH = '/site/oauth2/authorize';
/** RFC 6749 §4.1.2 recommends at most 10 minutes. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** The authorize request's parameters, from the query (GET) or the consent form (POST). */
interface AuthorizeRequest {
  clientId: string;
  responseType: string | undefined;
  redirectUri: string | undefined;
  state: string | undefined;
}

/** A request whose client and redirect URI are known good: from here on, errors go to the client. */
interface CheckedAuthorizeRequest extends AuthorizeRequest {
  consumer: Consumer;
  /** Where to send the browser back: the redirect_uri, or the consumer's callback URL. */
  redirectTarget: string;
}

interface PageError {
  title: string;
  message: string;
}

/**
 * `GET|POST /site/oauth2/authorize`: sign-in, consent, and the redirect back with a code.
 * https://developer.atlassian.com/cloud/bitbucket/oauth-2/ (Authorization Code Grant, 4.1)
 */
export function createAuthorizeRouter(context: EmulatorContext): Router {
  const router = Router();
  const faults = context.faults.middleware('authorize', (res) =>
    sendPage(
      res,
      500,
      renderErrorPage({
        title: 'Something went wrong',
        message: 'Bitbucket could not answer. Try again in a moment.',
      }),
    ),
  );
  const countCall = (_req: Request, _res: Response, next: () => void) => {
    context.stats.countAuthorize();
    next();
  };

  router.get(AUTHORIZE_PATH, faults, countCall, (req, res) => {
    const request = checkAuthorizeRequest(context, req.query);
    if ('title' in request) return sendPage(res, 400, renderErrorPage(request));
    if (!checkResponseType(res, request)) return;
    const current = context.sessions.read(req);
    if (!current?.user) return res.redirect(302, signInPath(req.originalUrl));
    // Bitbucket skips the consent page when the user already granted this consumer its scopes.
    const grant = context.oauth.findActiveGrant(current.user.id, request.consumer.id);
    if (grant && grantCovers(grant, request.consumer))
      return redirectWithCode(context, res, request, current.user, grant);
    sendPage(res, 200, renderConsent(context, request, current.user, current.session.csrfToken));
  });

  router.post(
    AUTHORIZE_PATH,
    faults,
    countCall,
    express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }),
    (req, res) => {
      const form = (req.body ?? {}) as Record<string, unknown>;
      const current = context.sessions.read(req);
      if (!current || !context.sessions.verifyCsrf(current.session, form.csrf_token)) {
        return sendPage(res, 403, renderExpiredFormPage());
      }
      if (!current.user) return res.redirect(302, signInPath('/'));
      const request = checkAuthorizeRequest(context, form);
      if ('title' in request) return sendPage(res, 400, renderErrorPage(request));
      if (!checkResponseType(res, request)) return;
      if (form.decision === 'cancel') {
        return redirectToClient(res, request, {
          error: 'access_denied',
          error_description: 'The user denied access to their account.',
        });
      }
      if (form.decision !== 'grant') {
        return sendPage(
          res,
          400,
          renderErrorPage({
            title: 'Invalid request',
            message: 'Choose "Grant access" or "Cancel".',
          }),
        );
      }
      const grant = context.oauth.findActiveGrant(current.user.id, request.consumer.id);
      const covering = grant && grantCovers(grant, request.consumer) ? grant : undefined;
      const granted =
        covering ??
        context.oauth.createGrant(
          current.user.id,
          request.consumer.id,
          request.consumer.scopes,
          context.clock.now(),
        );
      redirectWithCode(context, res, request, current.user, granted);
    },
  );

  return router;
}

/**
 * Checks client_id and redirect_uri. A failure here is shown to the user and never redirected:
 * the redirect target cannot be trusted (RFC 6749 §4.1.2.1).
 */
function checkAuthorizeRequest(
  context: EmulatorContext,
  source: Record<string, unknown>,
): CheckedAuthorizeRequest | PageError {
  const params = readParams(source);
  if ('title' in params) return params;
  if (!params.clientId)
    return {
      title: 'Invalid client_id',
      message:
        'The request has no client_id. Ask the application’s developer to check its Bitbucket settings.',
    };
  const consumer = context.consumers.findByKey(params.clientId);
  if (!consumer) {
    return {
      title: 'Invalid client_id',
      message: `No OAuth consumer has the key "${params.clientId}". Ask the application’s developer to check its Bitbucket settings.`,
    };
  }
  if (consumer.callbackUrl === null) {
    return {
      title: 'No callback URL',
      message: `The consumer "${consumer.name}" has no callback URL. Add one in the workspace’s OAuth consumer settings.`,
    };
  }
  if (
    params.redirectUri !== undefined &&
    !redirectUriMatchesCallback(params.redirectUri, consumer.callbackUrl)
  ) {
    return {
      title: 'Invalid redirect_uri',
      message: `The redirect_uri does not match the callback URL of the consumer "${consumer.name}".`,
    };
  }
  return { ...params, consumer, redirectTarget: params.redirectUri ?? consumer.callbackUrl };
}

function readParams(source: Record<string, unknown>): AuthorizeRequest | PageError {
  const names = {
    client_id: 'clientId',
    response_type: 'responseType',
    redirect_uri: 'redirectUri',
    state: 'state',
  } as const;
  const values: Partial<Record<(typeof names)[keyof typeof names], string>> = {};
  for (const [param, key] of Object.entries(names)) {
    const value = source[param];
    if (value === undefined) continue;
    if (typeof value !== 'string')
      return {
        title: 'Invalid request',
        message: `The parameter ${param} was sent more than once.`,
      };
    values[key] = value;
  }
  return {
    clientId: values.clientId ?? '',
    responseType: values.responseType,
    redirectUri: values.redirectUri,
    state: values.state,
  };
}

/** Only the authorization code flow is emulated; other response types go back to the client as errors. */
function checkResponseType(res: Response, request: CheckedAuthorizeRequest): boolean {
  if (request.responseType === 'code') return true;
  const error =
    request.responseType === undefined ? 'invalid_request' : 'unsupported_response_type';
  const description =
    request.responseType === undefined
      ? 'Missing response_type parameter.'
      : `Unsupported response_type: ${request.responseType}`;
  redirectToClient(res, request, { error, error_description: description });
  return false;
}

function grantCovers(grant: Grant, consumer: Consumer): boolean {
  return consumer.scopes.every((scope) => grant.scopes.includes(scope));
}

function redirectWithCode(
  context: EmulatorContext,
  res: Response,
  request: CheckedAuthorizeRequest,
  user: User,
  grant: Grant,
): void {
  const code = generateAlphanumeric(18);
  context.oauth.createCode({
    codeHash: hashOpaqueToken(code),
    consumerId: request.consumer.id,
    userId: user.id,
    grantId: grant.id,
    redirectUri: request.redirectUri ?? null,
    scopes: request.consumer.scopes,
    expiresAt: context.clock.now() + CODE_LIFETIME_MS,
  });
  redirectToClient(res, request, { code });
}

/** Redirects to the client, keeping its own query and adding `state` when the request had one. */
function redirectToClient(
  res: Response,
  request: CheckedAuthorizeRequest,
  params: Record<string, string>,
): void {
  const target = new URL(request.redirectTarget);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  if (request.state !== undefined) target.searchParams.set('state', request.state);
  res
    .set('Cache-Control', 'no-store')
    .set('Referrer-Policy', 'no-referrer')
    .redirect(302, target.href);
}

function renderConsent(
  context: EmulatorContext,
  request: CheckedAuthorizeRequest,
  user: User,
  csrfToken: string,
): string {
  const workspace = context.repositories.findWorkspaceById(request.consumer.workspaceId);
  return renderConsentPage({
    consumer: request.consumer,
    workspaceName: workspace?.name ?? 'unknown',
    user,
    scopes: expandScopes(request.consumer.scopes),
    csrfToken,
    request: {
      clientId: request.clientId,
      responseType: request.responseType ?? 'code',
      redirectUri: request.redirectUri,
      state: request.state,
    },
    redirectOrigin: new URL(request.redirectTarget).origin,
  });
}
