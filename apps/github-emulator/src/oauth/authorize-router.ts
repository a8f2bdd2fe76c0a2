import {
  isCodeChallenge,
  renderConsentPage,
  renderMessagePage,
  renderSignInPage,
  sendPage,
  type PageBrand,
} from '@runner-console/emulator-kit';
import express, { Router, type Response } from 'express';
import type { GitHubContext } from '../context.ts';
import type { OAuthClient, User } from '../state.ts';
import { parseScopeParameter, redirectUriAllowed } from './clients.ts';

export const GITHUB_BRAND: PageBrand = { name: 'GitHub', headerColor: '#24292f' };
const AUTHORIZE_PATH = '/login/oauth/authorize';
const SIGN_IN_PATH = '/login';
const SIGN_OUT_PATH = '/logout';

/** What the OAuth scopes let an app do, as GitHub's authorize page words them. */
const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  repo: 'Full control of private repositories',
  public_repo: 'Access public repositories',
  'read:user': 'Read all user profile data',
  'user:email': 'Access user email addresses (read-only)',
  user: 'Update all user data',
  workflow: 'Update GitHub Action workflows',
};

interface AuthorizeRequest {
  client: OAuthClient;
  redirectUri: string | undefined;
  /** Where the browser goes back: redirect_uri, or the app's callback URL. */
  redirectTarget: string;
  scopes: string[];
  state: string | undefined;
  codeChallenge: string | undefined;
}

type CheckResult =
  | { ok: true; request: AuthorizeRequest }
  | { ok: false; page: { status: number; title: string; message: string } }
  | { ok: false; redirect: string };

/**
 * GitHub's web flow: `GET /login/oauth/authorize` signs the user in, asks for consent once per
 * app and scope set, and redirects back with `code` and `state`. PKCE (S256 only) is optional;
 * a challenge, once sent, binds the code to its verifier.
 * https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
 */
export function createAuthorizeRouter(context: GitHubContext): Router {
  const router = Router();
  const faults = context.faults.middleware('authorize', (res) =>
    sendPage(res, 500, renderMessagePage(GITHUB_BRAND, 'Something went wrong', 'GitHub could not answer. Try again in a moment.')),
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
    const authorized = context.state.authorizations.get(user.id)?.get(request.client.clientId);
    if (authorized && request.scopes.every((scope) => authorized.includes(scope))) {
      return redirectWithCode(context, res, request, user);
    }
    sendPage(res, 200, renderConsent(request, user, session.csrfToken));
  });

  router.post(AUTHORIZE_PATH, faults, form, (req, res) => {
    context.counts.count('authorize');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      return sendPage(res, 403, renderMessagePage(GITHUB_BRAND, 'This form has expired', 'Go back to the app and start again.'));
    }
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(302, SIGN_IN_PATH);
    const checked = checkAuthorizeRequest(context, body);
    if (!checked.ok) return answerRefusal(res, checked);
    const { request } = checked;
    if (body.decision === 'cancel') {
      return redirectToClient(res, request.redirectTarget, {
        error: 'access_denied',
        error_description: 'The user has denied your application access.',
        error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied',
        state: request.state,
      });
    }
    if (body.decision !== 'grant') {
      return sendPage(res, 400, renderMessagePage(GITHUB_BRAND, 'Invalid request', 'Choose "Authorize" or "Cancel".'));
    }
    const byUser = context.state.authorizations.get(user.id) ?? new Map<string, readonly string[]>();
    const earlier = byUser.get(request.client.clientId) ?? [];
    byUser.set(request.client.clientId, [...new Set([...earlier, ...request.scopes])]);
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
      return sendPage(res, 403, renderMessagePage(GITHUB_BRAND, 'This form has expired', 'Go back and sign in again.'));
    }
    const returnTo = safeReturnTo(body.return_to);
    const login = typeof body.login === 'string' ? body.login.trim() : '';
    const user = context.state.findUserByLogin(login) ?? [...context.state.users.values()].find((candidate) => candidate.email === login);
    if (!user || typeof body.password !== 'string' || body.password !== user.password) {
      return sendPage(res, 401, signInPage(session.csrfToken, returnTo, login, true));
    }
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
    brand: GITHUB_BRAND,
    action: SIGN_IN_PATH,
    csrfToken,
    returnTo,
    hint: 'This is the GitHub emulator. Its users are alice and bob; each password is the username.',
    ...(username === undefined ? {} : { username }),
    failed,
  });
}

/** Only same-origin paths, so the sign-in form cannot be used as an open redirect. */
function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') ? value : '/';
}

function checkAuthorizeRequest(context: GitHubContext, params: Record<string, unknown>): CheckResult {
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const clientId = text('client_id');
  const client = clientId === undefined ? undefined : context.state.clients.get(clientId);
  if (!client) {
    return { ok: false, page: { status: 404, title: 'Application not found', message: 'No application has this client_id. Check the app\'s settings.' } };
  }
  const state = text('state');
  const redirectUri = text('redirect_uri');
  if (redirectUri !== undefined && !redirectUriAllowed(client, redirectUri)) {
    // GitHub sends the browser to the registered callback with the error.
    return {
      ok: false,
      redirect: clientRedirect(client.callbackUrl, {
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch',
        state,
      }),
    };
  }
  const redirectTarget = redirectUri ?? client.callbackUrl;
  const codeChallenge = text('code_challenge');
  const method = text('code_challenge_method');
  if (codeChallenge !== undefined && (method !== 'S256' || !isCodeChallenge(codeChallenge))) {
    return {
      ok: false,
      redirect: clientRedirect(redirectTarget, {
        error: 'invalid_request',
        error_description: 'code_challenge_method must be S256 and code_challenge a base64url SHA-256 digest.',
        state,
      }),
    };
  }
  // GitHub Apps ignore `scope`: their access comes from the app's permissions.
  const scopes = client.kind === 'github-app' ? [] : parseScopeParameter(params.scope);
  return { ok: true, request: { client, redirectUri, redirectTarget, scopes, state, codeChallenge } };
}

function answerRefusal(res: Response, refusal: Exclude<CheckResult, { ok: true }>): void {
  if ('redirect' in refusal) return res.redirect(302, refusal.redirect);
  sendPage(res, refusal.page.status, renderMessagePage(GITHUB_BRAND, refusal.page.title, refusal.page.message));
}

function renderConsent(request: AuthorizeRequest, user: User, csrfToken: string): string {
  const { client } = request;
  const permissions =
    client.kind === 'github-app'
      ? Object.entries(client.permissions ?? {}).map(([name, level]) => ({ description: `${level === 'write' ? 'Read and write' : 'Read'} access to ${name.replace(/_/g, ' ')}`, code: `${name}:${level}` }))
      : request.scopes.map((scope) => ({ description: SCOPE_DESCRIPTIONS[scope] ?? 'Access', code: scope }));
  return renderConsentPage({
    brand: GITHUB_BRAND,
    action: AUTHORIZE_PATH,
    appName: client.name,
    ownerName: client.owner.login,
    user: { displayName: user.name, username: user.login },
    permissions,
    csrfToken,
    hiddenFields: {
      client_id: client.clientId,
      redirect_uri: request.redirectUri,
      scope: request.scopes.join(' ') || undefined,
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: request.codeChallenge === undefined ? undefined : 'S256',
    },
    redirectOrigin: new URL(request.redirectTarget).origin,
    signOutPath: SIGN_OUT_PATH,
    grantLabel: `Authorize ${client.owner.login}`,
  });
}

function redirectWithCode(context: GitHubContext, res: Response, request: AuthorizeRequest, user: User): void {
  const code = context.codes.issue({
    clientId: request.client.clientId,
    redirectUri: request.redirectUri ?? null,
    codeChallenge: request.codeChallenge ?? null,
    grant: { userId: user.id, clientId: request.client.clientId, scopes: request.scopes },
  });
  redirectToClient(res, request.redirectTarget, { code, state: request.state });
}

function redirectToClient(res: Response, target: string, params: Record<string, string | undefined>): void {
  res.redirect(302, clientRedirect(target, params));
}

function clientRedirect(target: string, params: Record<string, string | undefined>): string {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

