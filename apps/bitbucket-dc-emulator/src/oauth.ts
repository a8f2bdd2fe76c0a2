import { generateAccessTokenValue, hashOpaqueToken, isCodeChallenge, renderConsentPage, renderMessagePage, renderSignInPage, sendPage, type CodeRefusal, type PageBrand } from '@runner-console/emulator-kit';
import express, { Router, type Response } from 'express';
import type { DataCenterContext } from './context.ts';
import type { ApplicationLink, User, UserGrant } from './state.ts';

export const DC_BRAND: PageBrand = { name: 'Bitbucket Data Center', headerColor: '#0747a6' };
export const AUTHORIZE_PATH = '/rest/oauth2/latest/authorize';
export const TOKEN_PATH = '/rest/oauth2/latest/token';
export const SIGN_IN_PATH = '/login';
const SIGN_OUT_PATH = '/j_atl_security_logout';

/** Access tokens live 2 hours; refresh tokens 90 days and rotate on every use. */
export const ACCESS_TOKEN_LIFETIME_SECONDS = 7200;
export const REFRESH_TOKEN_LIFETIME_MS = 90 * 86_400_000;

/** How the consent page words each scope (https://confluence.atlassian.com/bitbucketserver/oauth-2-0-scopes-for-incoming-links-1115665625.html). */
const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  PUBLIC_REPOS: 'View public repositories',
  REPO_READ: 'View and clone repositories, and create and comment on pull requests',
  REPO_WRITE: 'Push to repositories and merge pull requests',
  REPO_ADMIN: 'Administer repositories',
  PROJECT_ADMIN: 'Administer projects',
};

interface AuthorizeRequest {
  link: ApplicationLink;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
}

type Checked = { ok: true; request: AuthorizeRequest } | { ok: false; page: { status: number; title: string; message: string } } | { ok: false; redirect: string };

/**
 * The OAuth 2.0 provider of an incoming application link: `GET /rest/oauth2/latest/authorize`
 * (sign-in, then consent, then back to the redirect URL with `code` and `state`), and
 * `POST /rest/oauth2/latest/token` (authorization code with PKCE, and refresh). Parameters come
 * in the query or a form body; the client authenticates with client_id and client_secret.
 * https://confluence.atlassian.com/bitbucketserver/bitbucket-oauth-2-0-provider-api-1108483661.html
 */
export function createOAuthRouter(context: DataCenterContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });
  const authorizeFaults = context.faults.middleware('authorize', (res) => sendPage(res, 500, renderMessagePage(DC_BRAND, 'Something went wrong', 'Bitbucket could not answer. Try again in a moment.')));

  router.get(AUTHORIZE_PATH, authorizeFaults, (req, res) => {
    context.counts.count('authorize');
    const checked = checkAuthorizeRequest(context, req.query as Record<string, unknown>);
    if (!checked.ok) return answerRefusal(res, checked);
    const session = context.sessions.ensure(req, res);
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(302, `${SIGN_IN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
    const consented = context.state.consents.get(user.id)?.get(checked.request.link.clientId);
    if (consented && checked.request.scopes.every((scope) => consented.includes(scope))) return redirectWithCode(context, res, checked.request, user);
    sendPage(res, 200, consentPage(checked.request, user, session.csrfToken));
  });

  router.post(AUTHORIZE_PATH, authorizeFaults, form, (req, res) => {
    context.counts.count('authorize');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      return sendPage(res, 403, renderMessagePage(DC_BRAND, 'This form has expired', 'Go back to the application and start again.'));
    }
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(303, SIGN_IN_PATH);
    const checked = checkAuthorizeRequest(context, body);
    if (!checked.ok) return answerRefusal(res, checked);
    const { request } = checked;
    if (body.decision === 'cancel') return res.redirect(302, withParams(request.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: request.state }));
    if (body.decision !== 'grant') return sendPage(res, 400, renderMessagePage(DC_BRAND, 'Invalid request', 'Choose "Allow" or "Deny".'));
    const byUser = context.state.consents.get(user.id) ?? new Map<string, readonly string[]>();
    byUser.set(request.link.clientId, [...new Set([...(byUser.get(request.link.clientId) ?? []), ...request.scopes])]);
    context.state.consents.set(user.id, byUser);
    redirectWithCode(context, res, request, user);
  });

  router.get(SIGN_IN_PATH, (req, res) => {
    const session = context.sessions.ensure(req, res);
    sendPage(res, 200, signInPage(session.csrfToken, safeNext(req.query.next)));
  });
  router.post(SIGN_IN_PATH, form, (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) return sendPage(res, 403, renderMessagePage(DC_BRAND, 'This form has expired', 'Go back and log in again.'));
    const next = safeNext(body.return_to);
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const user = context.state.findUser(login);
    if (!user || body.password !== user.password) return sendPage(res, 401, signInPage(session.csrfToken, next, login, true));
    context.sessions.signIn(req, res, user.id);
    res.redirect(303, next);
  });
  router.post(SIGN_OUT_PATH, form, (req, res) => {
    const session = context.sessions.read(req);
    if (session && context.sessions.verifyCsrf(session, (req.body as Record<string, unknown> | undefined)?.csrf_token)) context.sessions.signOut(req, res);
    res.redirect(303, '/');
  });

  router.post(
    TOKEN_PATH,
    context.faults.middleware('token', (res) => res.status(500).json({ error: 'server_error', error_description: 'An unexpected error occurred.' })),
    form,
    (req, res) => {
      const params = { ...(req.query as Record<string, unknown>), ...((req.body ?? {}) as Record<string, unknown>) };
      const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
      const grantType = text('grant_type');
      context.counts.count(`token:${grantType ?? 'none'}`);
      res.set('Cache-Control', 'no-store');
      const link = context.state.authenticateLink(text('client_id'), text('client_secret'));
      if (!link) return tokenError(res, 401, 'invalid_client', 'Client authentication failed.');
      if (grantType === 'authorization_code') {
        const code = text('code');
        if (code === undefined) return tokenError(res, 400, 'invalid_request', 'The code parameter is missing.');
        const redeemed = context.codes.redeem(code, { clientId: link.clientId, redirectUri: text('redirect_uri'), codeVerifier: text('code_verifier') });
        if (!redeemed.ok) return tokenError(res, 400, 'invalid_grant', codeRefusalText(redeemed.reason));
        return res.status(200).json(issueTokens(context, link, redeemed.grant));
      }
      if (grantType === 'refresh_token') {
        const value = text('refresh_token');
        const used = value === undefined ? undefined : context.refreshTokens.use(value, link.clientId);
        if (!used?.ok) return tokenError(res, 400, 'invalid_grant', 'The refresh token is invalid, expired or was already used.');
        const previous = context.state.findTokenByHash(used.grant.accessTokenHash);
        if (previous) previous.revoked = true;
        return res.status(200).json(issueTokens(context, link, { userId: used.grant.userId, scopes: used.grant.scopes }));
      }
      tokenError(res, 400, 'unsupported_grant_type', 'Only authorization_code and refresh_token are supported.');
    },
  );
  return router;
}

function tokenError(res: Response, status: number, error: string, description: string): void {
  res.status(status).json({ error, error_description: description });
}

function codeRefusalText(reason: CodeRefusal): string {
  switch (reason) {
    case 'redirect_uri_mismatch':
      return 'The redirect_uri does not match the one of the authorization request.';
    case 'verifier_missing':
    case 'verifier_mismatch':
      return 'The code_verifier does not match the code_challenge.';
    default:
      return 'The authorization code is invalid, expired or was already used.';
  }
}

/** `{scope, access_token, token_type:"bearer", expires_in, refresh_token}`. */
function issueTokens(context: DataCenterContext, link: ApplicationLink, grant: UserGrant) {
  const accessToken = generateAccessTokenValue();
  context.state.addToken(accessToken, {
    kind: 'oauth',
    userId: grant.userId,
    permissions: grant.scopes,
    clientId: link.clientId,
    expiresAt: context.clock.now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    revoked: false,
    id: null,
    name: null,
    createdDate: context.clock.now(),
  });
  const refresh = context.refreshTokens.issue(link.clientId, { ...grant, accessTokenHash: hashOpaqueToken(accessToken) });
  return { scope: grant.scopes.join(' '), access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_LIFETIME_SECONDS, refresh_token: refresh.value };
}

function checkAuthorizeRequest(context: DataCenterContext, params: Record<string, unknown>): Checked {
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const link = context.state.links.get(text('client_id') ?? '');
  if (!link) return { ok: false, page: { status: 400, title: 'Unknown application', message: 'No application link has this client_id. Ask an administrator to check the incoming application link.' } };
  const redirectUri = text('redirect_uri') ?? link.redirectUrl;
  // The redirect URL must be the link's own; an error is never sent to another one.
  if (redirectUri !== link.redirectUrl) return { ok: false, page: { status: 400, title: 'Invalid redirect URL', message: `The redirect_uri does not match the redirect URL of the application link "${link.name}".` } };
  const state = text('state');
  if (text('response_type') !== 'code') return { ok: false, redirect: withParams(redirectUri, { error: 'unsupported_response_type', error_description: 'Only response_type=code is supported.', state }) };
  const scopes = (text('scope') ?? link.scopes.join(' ')).split(/\s+/).filter(Boolean);
  const extra = scopes.filter((scope) => !link.scopes.includes(scope));
  if (extra.length > 0) return { ok: false, redirect: withParams(redirectUri, { error: 'invalid_scope', error_description: `The application link does not allow ${extra.join(', ')}.`, state }) };
  const codeChallenge = text('code_challenge');
  if (codeChallenge !== undefined && (text('code_challenge_method') !== 'S256' || !isCodeChallenge(codeChallenge))) {
    return { ok: false, redirect: withParams(redirectUri, { error: 'invalid_request', error_description: 'code_challenge_method must be S256.', state }) };
  }
  return { ok: true, request: { link, redirectUri, scopes, state, codeChallenge } };
}

function answerRefusal(res: Response, refusal: Exclude<Checked, { ok: true }>): void {
  if ('redirect' in refusal) return res.redirect(302, refusal.redirect);
  sendPage(res, refusal.page.status, renderMessagePage(DC_BRAND, refusal.page.title, refusal.page.message));
}

function consentPage(request: AuthorizeRequest, user: User, csrfToken: string): string {
  return renderConsentPage({
    brand: DC_BRAND,
    action: AUTHORIZE_PATH,
    appName: request.link.name,
    ownerName: 'an administrator (incoming application link)',
    user: { displayName: user.displayName, username: user.name },
    permissions: request.scopes.map((scope) => ({ description: SCOPE_DESCRIPTIONS[scope] ?? 'Access', code: scope })),
    csrfToken,
    hiddenFields: {
      client_id: request.link.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: request.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: request.codeChallenge === undefined ? undefined : 'S256',
    },
    redirectOrigin: new URL(request.redirectUri).origin,
    signOutPath: SIGN_OUT_PATH,
    grantLabel: 'Allow',
  });
}

function redirectWithCode(context: DataCenterContext, res: Response, request: AuthorizeRequest, user: User): void {
  const code = context.codes.issue({ clientId: request.link.clientId, redirectUri: request.redirectUri, codeChallenge: request.codeChallenge ?? null, grant: { userId: user.id, scopes: request.scopes } });
  res.redirect(302, withParams(request.redirectUri, { code, state: request.state }));
}

function withParams(target: string, params: Record<string, string | undefined>): string {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

function signInPage(csrfToken: string, next: string, username?: string, failed = false): string {
  return renderSignInPage({
    brand: DC_BRAND,
    action: SIGN_IN_PATH,
    csrfToken,
    returnTo: next,
    hint: 'This is the Bitbucket Data Center emulator. Its users are alice and bob; each password is the user name.',
    ...(username === undefined ? {} : { username }),
    failed,
  });
}

/** Only same-origin paths, so the sign-in form cannot be used as an open redirect. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}


