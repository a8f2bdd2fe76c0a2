import { isCodeChallenge, renderConsentPage, renderMessagePage, renderSignInPage, sendPage, type PageBrand } from '@runner-console/emulator-kit';
import express, { Router, type Response } from 'express';
import type { GitLabContext } from '../context.ts';
import type { Application, User } from '../state.ts';
import { parseScopeParameter } from './applications.ts';

export const GITLAB_BRAND: PageBrand = { name: 'GitLab', headerColor: '#292961' };
const AUTHORIZE_PATH = '/oauth/authorize';
export const SIGN_IN_PATH = '/users/sign_in';
const SIGN_OUT_PATH = '/users/sign_out';

/** How GitLab's authorize page describes each scope (https://docs.gitlab.com/integration/oauth_provider/#view-all-authorized-applications). */
const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  api: 'Grants complete read/write access to the API, including all groups and projects.',
  read_api: 'Grants read access to the API, including all groups and projects.',
  read_user: 'Grants read-only access to your profile through the /user API endpoint.',
  read_repository: 'Grants read-only access to repositories on private projects using Git-over-HTTP or the Repository Files API.',
  write_repository: 'Grants read-write access to repositories on private projects using Git-over-HTTP (not using the API).',
  openid: 'Grants permission to authenticate with GitLab using OpenID Connect.',
  profile: 'Grants read-only access to the user’s profile data using OpenID Connect.',
  email: 'Grants read-only access to the user’s primary email address using OpenID Connect.',
};

interface AuthorizeRequest {
  application: Application;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
}

type CheckResult = { ok: true; request: AuthorizeRequest } | { ok: false; page: { status: number; title: string; message: string } } | { ok: false; redirect: string };

/**
 * Doorkeeper's authorization endpoint as GitLab serves it: `GET /oauth/authorize` signs the user
 * in (`/users/sign_in`), asks for consent once per application and scope set, and redirects to the
 * registered redirect URI with `code` and `state`. The redirect_uri must be one of the
 * application's exactly (an error page otherwise, never a redirect); scopes must be among the
 * application's (`invalid_scope`); PKCE S256 (or plain) binds the code to its verifier, and a
 * public application must use it. https://docs.gitlab.com/api/oauth2/#authorization-code-with-proof-key-for-code-exchange-pkce
 */
export function createAuthorizeRouter(context: GitLabContext): Router {
  const router = Router();
  const faults = context.faults.middleware('authorize', (res) =>
    sendPage(res, 500, renderMessagePage(GITLAB_BRAND, '500: We’re sorry, something went wrong on our end', 'Try again in a moment.')),
  );
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  router.get(AUTHORIZE_PATH, faults, (req, res) => {
    context.counts.count('authorize');
    const checked = checkAuthorizeRequest(context, req.query as Record<string, unknown>);
    if (!checked.ok) return answerRefusal(res, checked);
    const session = context.sessions.ensure(req, res);
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(302, `${SIGN_IN_PATH}?return_to=${encodeURIComponent(req.originalUrl)}`);
    const { request } = checked;
    const authorized = context.state.authorizations.get(user.id)?.get(request.application.uid);
    if (authorized && request.scopes.every((scope) => authorized.includes(scope))) return redirectWithCode(context, res, request, user);
    sendPage(res, 200, renderConsent(request, user, session.csrfToken));
  });

  router.post(AUTHORIZE_PATH, faults, form, (req, res) => {
    context.counts.count('authorize');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      return sendPage(res, 422, renderMessagePage(GITLAB_BRAND, 'The change you requested was rejected', 'The form expired. Go back to the application and start again.'));
    }
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(302, SIGN_IN_PATH);
    const checked = checkAuthorizeRequest(context, body);
    if (!checked.ok) return answerRefusal(res, checked);
    const { request } = checked;
    if (body.decision === 'cancel') {
      return res.redirect(302, clientRedirect(request.redirectUri, { error: 'access_denied', error_description: 'The resource owner or authorization server denied the request.', state: request.state }));
    }
    if (body.decision !== 'grant') return sendPage(res, 400, renderMessagePage(GITLAB_BRAND, 'Invalid request', 'Choose "Authorize" or "Deny".'));
    const byUser = context.state.authorizations.get(user.id) ?? new Map<string, readonly string[]>();
    byUser.set(request.application.uid, [...new Set([...(byUser.get(request.application.uid) ?? []), ...request.scopes])]);
    context.state.authorizations.set(user.id, byUser);
    redirectWithCode(context, res, request, user);
  });

  router.get(SIGN_IN_PATH, (req, res) => {
    const session = context.sessions.ensure(req, res);
    sendPage(res, 200, signInPage(session.csrfToken, safeReturnTo(req.query.return_to)));
  });

  router.post(SIGN_IN_PATH, form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      return sendPage(res, 422, renderMessagePage(GITLAB_BRAND, 'The change you requested was rejected', 'The form expired. Go back and sign in again.'));
    }
    const returnTo = safeReturnTo(body.return_to);
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const user = context.state.findUserByUsername(login) ?? [...context.state.users.values()].find((candidate) => candidate.email === login);
    if (!user || typeof body.password !== 'string' || body.password !== user.password) return sendPage(res, 401, signInPage(session.csrfToken, returnTo, login, true));
    context.sessions.signIn(req, res, user.id);
    res.redirect(303, returnTo);
  });

  router.post(SIGN_OUT_PATH, form, (req, res) => {
    const session = context.sessions.read(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (session && context.sessions.verifyCsrf(session, body.csrf_token)) context.sessions.signOut(req, res);
    res.redirect(303, '/');
  });

  return router;
}

function signInPage(csrfToken: string, returnTo: string, username?: string, failed = false): string {
  return renderSignInPage({
    brand: GITLAB_BRAND,
    action: SIGN_IN_PATH,
    csrfToken,
    returnTo,
    hint: 'This is the GitLab emulator. Its users are alice and bob; each password is the username.',
    ...(username === undefined ? {} : { username }),
    failed,
  });
}

/** Only same-origin paths, so the sign-in form cannot be used as an open redirect. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}

function checkAuthorizeRequest(context: GitLabContext, params: Record<string, unknown>): CheckResult {
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const uid = text('client_id');
  const application = uid === undefined ? undefined : context.state.applications.get(uid);
  if (!application) {
    return { ok: false, page: { status: 401, title: 'An error has occurred', message: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' } };
  }
  const redirectUri = text('redirect_uri');
  if (redirectUri === undefined || !application.redirectUris.includes(redirectUri)) {
    return { ok: false, page: { status: 400, title: 'An error has occurred', message: 'The redirect URI included is not valid.' } };
  }
  const state = text('state');
  if (text('response_type') !== 'code') {
    return { ok: false, redirect: clientRedirect(redirectUri, { error: 'unsupported_response_type', error_description: 'The authorization server does not support this response type.', state }) };
  }
  const scopes = parseScopeParameter(params.scope, application);
  if (scopes.some((scope) => !application.scopes.includes(scope))) {
    return { ok: false, redirect: clientRedirect(redirectUri, { error: 'invalid_scope', error_description: 'The requested scope is invalid, unknown, or malformed.', state }) };
  }
  const codeChallenge = text('code_challenge');
  const method = text('code_challenge_method');
  if ((codeChallenge === undefined && !application.confidential) || (codeChallenge !== undefined && (method !== 'S256' || !isCodeChallenge(codeChallenge)))) {
    return { ok: false, redirect: clientRedirect(redirectUri, { error: 'invalid_request', error_description: 'The code_challenge is missing or its method is not S256.', state }) };
  }
  return { ok: true, request: { application, redirectUri, scopes, state, codeChallenge } };
}

function answerRefusal(res: Response, refusal: Exclude<CheckResult, { ok: true }>): void {
  if ('redirect' in refusal) return res.redirect(302, refusal.redirect);
  sendPage(res, refusal.page.status, renderMessagePage(GITLAB_BRAND, refusal.page.title, refusal.page.message));
}

function renderConsent(request: AuthorizeRequest, user: User, csrfToken: string): string {
  return renderConsentPage({
    brand: GITLAB_BRAND,
    action: AUTHORIZE_PATH,
    appName: request.application.name,
    ownerName: user.username,
    user: { displayName: user.name, username: user.username },
    permissions: request.scopes.map((scope) => ({ description: SCOPE_DESCRIPTIONS[scope] ?? 'Access', code: scope })),
    csrfToken,
    hiddenFields: {
      client_id: request.application.uid,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: request.codeChallenge === undefined ? undefined : 'S256',
    },
    redirectOrigin: new URL(request.redirectUri).origin,
    signOutPath: SIGN_OUT_PATH,
    grantLabel: 'Authorize',
  });
}

function redirectWithCode(context: GitLabContext, res: Response, request: AuthorizeRequest, user: User): void {
  const code = context.codes.issue(
    {
      clientId: request.application.uid,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge ?? null,
      grant: { userId: user.id, applicationUid: request.application.uid, scopes: request.scopes },
    },
    64,
  );
  res.redirect(302, clientRedirect(request.redirectUri, { code, state: request.state }));
}

function clientRedirect(target: string, params: Record<string, string | undefined>): string {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}
