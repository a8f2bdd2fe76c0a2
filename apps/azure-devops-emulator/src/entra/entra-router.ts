// Microsoft Entra ID's v2.0 endpoints for one tenant, on the Entra emulator's origin:
//   GET  /{tenant}/v2.0/.well-known/openid-configuration   OpenID discovery
//   GET  /{tenant}/discovery/v2.0/keys                      JWKS
//   GET  /{tenant}/oauth2/v2.0/authorize                    sign-in, consent, redirect with a code
//   POST /{tenant}/oauth2/v2.0/token                        authorization_code and refresh_token
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow
import { hashOpaqueToken, constantTimeEquals, isCodeChallenge, readBasicCredentials, renderConsentPage, renderMessagePage, renderSignInPage, sendPage, type PageBrand } from '@runner-console/emulator-kit';
import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.ts';
import { AZURE_DEVOPS_RESOURCE, type AppRegistration, type EntraGrant, type Tenant, type User } from '../state.ts';
import { authorizeErrorRedirect, sendAadstsError } from './aadsts.ts';

export const ENTRA_BRAND: PageBrand = { name: 'Microsoft Entra ID', headerColor: '#0f6cbd' };

/** Access tokens last about an hour (60–90 minutes on Entra; 3599 s here). */
export const ACCESS_TOKEN_SECONDS = 3599;
/** Refresh tokens: 90 days. */
export const REFRESH_TOKEN_SECONDS = 90 * 86_400;

const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

export function issuerOf(context: EmulatorContext, tenant: Tenant): string {
  return `${context.entraOrigin}/${tenant.id}/v2.0`;
}

/** `499b84ac-…/vso.code_write` or `vso.code_write` with the resource's URI: the Azure DevOps scopes of a request. */
function devopsScopes(scopes: readonly string[]): string[] {
  return scopes.filter((scope) => scope.toLowerCase().startsWith(`${AZURE_DEVOPS_RESOURCE}/`)).map((scope) => scope.slice(AZURE_DEVOPS_RESOURCE.length + 1));
}

export function createEntraRouter(context: EmulatorContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (req, res) => {
    const tenant = context.state.findTenant(String(req.params.tenant));
    if (!tenant) return sendAadstsError(res, 400, 'invalid_tenant', 90002, `Tenant '${String(req.params.tenant)}' not found.`);
    const base = `${context.entraOrigin}/${tenant.id}`;
    res.json({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: issuerOf(context, tenant),
      request_uri_parameter_supported: false,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
      code_challenge_methods_supported: ['plain', 'S256'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    });
  });

  router.get('/:tenant/discovery/v2.0/keys', (_req, res) => {
    res.json(context.signer.jwks());
  });

  router.get('/:tenant/oauth2/v2.0/authorize', context.faults.middleware('authorize', (res) => sendPage(res, 500, renderMessagePage(ENTRA_BRAND, 'Something went wrong', 'AADSTS90033: A transient error has occurred. Please try again.'))), (req, res) => {
    context.counts.count('authorize');
    authorize(context, req, res, req.query as Record<string, unknown>);
  });
  router.post('/:tenant/oauth2/v2.0/authorize', form, (req, res) => {
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, req.body?.csrf_token)) {
      return sendPage(res, 403, renderMessagePage(ENTRA_BRAND, 'Request refused', 'This form expired. Go back and try again.'));
    }
    authorize(context, req, res, req.body as Record<string, unknown>);
  });
  router.post('/:tenant/login', form, (req, res) => {
    const session = context.sessions.ensure(req, res);
    const tenantName = String(req.params.tenant);
    const returnTo = typeof req.body?.return_to === 'string' && req.body.return_to.startsWith(`/${tenantName}/oauth2/v2.0/authorize?`) ? req.body.return_to : `/${tenantName}/oauth2/v2.0/authorize`;
    if (!context.sessions.verifyCsrf(session, req.body?.csrf_token)) return sendPage(res, 403, renderMessagePage(ENTRA_BRAND, 'Request refused', 'This form expired. Go back and try again.'));
    const user = context.state.findUserByLogin(String(req.body?.login ?? ''));
    if (!user || !constantTimeEquals(user.password, String(req.body?.password ?? ''))) {
      const again = context.sessions.ensure(req, res);
      return sendPage(res, 200, signInPage(tenantName, again.csrfToken, returnTo, true));
    }
    context.sessions.signIn(req, res, user.sessionId);
    res.redirect(303, returnTo);
  });

  router.post('/:tenant/oauth2/v2.0/token', form, context.faults.middleware('token', (res) => sendAadstsError(res, 503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')), (req, res) => {
    context.counts.count('token');
    void token(context, req, res).catch((error: unknown) => {
      context.logger.error({ err: error }, 'token endpoint failed');
      if (!res.headersSent) sendAadstsError(res, 500, 'server_error', 90033, 'A transient error has occurred. Please try again.');
    });
  });
  return router;
}

function signInPage(tenantName: string, csrfToken: string, returnTo: string, failed = false): string {
  return renderSignInPage({ brand: ENTRA_BRAND, action: `/${tenantName}/login`, csrfToken, returnTo, hint: 'Seeded account: alice / alice (tenant acme).', failed });
}

function authorize(context: EmulatorContext, req: Request, res: Response, params: Record<string, unknown>): void {
  const text = (name: string) => (typeof params[name] === 'string' ? (params[name] as string) : undefined);
  const tenantName = String(req.params.tenant);
  const tenant = context.state.findTenant(tenantName);
  if (!tenant) return sendPage(res, 400, renderMessagePage(ENTRA_BRAND, 'Sign in failed', `AADSTS90002: Tenant '${tenantName}' not found.`));
  const clientId = text('client_id') ?? '';
  const app = context.state.apps.get(clientId);
  if (!app || app.tenantId !== tenant.id) {
    return sendPage(res, 400, renderMessagePage(ENTRA_BRAND, 'Sign in failed', `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant.name}'.`));
  }
  const redirectUri = text('redirect_uri') ?? '';
  if (!app.redirectUris.includes(redirectUri)) {
    return sendPage(res, 400, renderMessagePage(ENTRA_BRAND, 'Sign in failed', `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'.`));
  }
  const state = text('state');
  if (text('response_type') !== 'code') return res.redirect(302, authorizeErrorRedirect(redirectUri, state, 'unsupported_response_type', 700054, "response_type 'id_token' is not enabled for the application."));
  const scopes = (text('scope') ?? '').split(' ').filter(Boolean);
  if (scopes.length === 0) return res.redirect(302, authorizeErrorRedirect(redirectUri, state, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'."));
  const challenge = text('code_challenge');
  if (challenge !== undefined && (text('code_challenge_method') !== 'S256' || !isCodeChallenge(challenge))) {
    return res.redirect(302, authorizeErrorRedirect(redirectUri, state, 'invalid_request', 501491, 'Invalid size of Code_Challenge parameter.'));
  }
  const session = context.sessions.ensure(req, res);
  const user = session.userId === null ? undefined : context.state.findUserBySession(session.userId);
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !['decision', 'csrf_token'].includes(entry[0])));
  if (!user) return sendPage(res, 200, signInPage(tenantName, session.csrfToken, `/${tenantName}/oauth2/v2.0/authorize?${query}`));
  if (user.tenantId !== tenant.id) {
    return sendPage(res, 400, renderMessagePage(ENTRA_BRAND, 'Sign in failed', `AADSTS50020: User account '${user.email}' from identity provider does not exist in tenant '${tenant.name}' and cannot access the application '${app.clientId}'.`));
  }
  const consentKey = `${user.id} ${app.clientId}`;
  const decision = text('decision');
  if (decision === 'cancel') return res.redirect(302, authorizeErrorRedirect(redirectUri, state, 'access_denied', 65004, 'User declined to consent to access the app.'));
  if (decision === 'grant') context.state.consents.add(consentKey);
  if (!context.state.consents.has(consentKey)) return sendPage(res, 200, consentPage(tenantName, app, user, scopes, session.csrfToken, query, redirectUri));
  const code = context.codes.issue({ clientId: app.clientId, redirectUri, codeChallenge: challenge ?? null, grant: { userId: user.id, tenantId: tenant.id, clientId: app.clientId, scopes } }, 64);
  const back = new URL(redirectUri);
  back.searchParams.set('code', code);
  if (state !== undefined) back.searchParams.set('state', state);
  back.searchParams.set('session_state', hashOpaqueToken(`${user.id}${app.clientId}`).slice(0, 36));
  res.redirect(302, back.href);
}

function consentPage(tenantName: string, app: AppRegistration, user: User, scopes: string[], csrfToken: string, query: URLSearchParams, redirectUri: string): string {
  const permissions = [
    ...devopsScopes(scopes).map((scope) => ({ description: scope === 'vso.code_write' ? 'Azure DevOps: read and write your code, and read pull requests' : `Azure DevOps: ${scope}`, code: scope })),
    ...(scopes.includes('openid') || scopes.includes('profile') ? [{ description: 'Sign you in and read your profile', code: 'openid profile' }] : []),
    ...(scopes.includes('email') ? [{ description: 'View your email address', code: 'email' }] : []),
    ...(scopes.includes('offline_access') ? [{ description: 'Maintain access to data you have given it access to', code: 'offline_access' }] : []),
  ];
  return renderConsentPage({
    brand: ENTRA_BRAND,
    action: `/${tenantName}/oauth2/v2.0/authorize`,
    appName: app.name,
    ownerName: tenantName,
    user: { displayName: user.displayName, username: user.email },
    permissions,
    csrfToken,
    hiddenFields: Object.fromEntries(query),
    redirectOrigin: new URL(redirectUri).origin,
    signOutPath: `/${tenantName}/oauth2/v2.0/logout`,
    grantLabel: 'Accept',
  });
}

/** The client as the token request authenticates it: client_secret_post or client_secret_basic. */
function readClient(req: Request): { clientId: string; secret: string | undefined } {
  const basic = readBasicCredentials(req);
  if (basic) return { clientId: basic.username, secret: basic.password };
  return { clientId: typeof req.body?.client_id === 'string' ? req.body.client_id : '', secret: typeof req.body?.client_secret === 'string' ? req.body.client_secret : undefined };
}

async function token(context: EmulatorContext, req: Request, res: Response): Promise<void> {
  const tenantName = String(req.params.tenant);
  const tenant = context.state.findTenant(tenantName);
  if (!tenant) return sendAadstsError(res, 400, 'invalid_request', 90002, `Tenant '${tenantName}' not found.`);
  const body = (req.body ?? {}) as Record<string, unknown>;
  const client = readClient(req);
  const app = context.state.apps.get(client.clientId);
  if (!app || app.tenantId !== tenant.id) {
    return sendAadstsError(res, 400, 'unauthorized_client', 700016, `Application with identifier '${client.clientId}' was not found in the directory '${tenant.name}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
  }
  if (client.secret === undefined) return sendAadstsError(res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  if (!constantTimeEquals(hashOpaqueToken(client.secret), app.secretHash)) {
    return sendAadstsError(res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
  }
  if (app.secretExpiresAt <= context.clock.now()) return sendAadstsError(res, 401, 'invalid_client', 7000222, `The provided client secret keys for app '${app.clientId}' are expired. Visit the Azure portal to create new keys for your app.`);

  let grant: EntraGrant;
  const grantType = body.grant_type;
  if (grantType === 'authorization_code') {
    const redeemed = context.codes.redeem(String(body.code ?? ''), {
      clientId: app.clientId,
      redirectUri: typeof body.redirect_uri === 'string' ? body.redirect_uri : undefined,
      codeVerifier: typeof body.code_verifier === 'string' ? body.code_verifier : undefined,
    });
    if (!redeemed.ok) {
      switch (redeemed.reason) {
        case 'used':
          return sendAadstsError(res, 400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
        case 'redirect_uri_mismatch':
          return sendAadstsError(res, 400, 'invalid_grant', 500112, 'The reply address does not match the reply address provided when requesting Authorization code.');
        case 'verifier_missing':
        case 'verifier_mismatch':
          return sendAadstsError(res, 400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
        default:
          return sendAadstsError(res, 400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
      }
    }
    grant = redeemed.grant;
  } else if (grantType === 'refresh_token') {
    // Without `scope`, Entra refuses a refresh (the v2.0 endpoint needs it; Coder notes it falls
    // back to default scopes otherwise): https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
    const requested = typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [];
    if (requested.length === 0) return sendAadstsError(res, 400, 'invalid_request', 90014, "The required field 'scope' is missing from the credential. Ensure that you have all the necessary parameters for the login request.");
    const used = context.refreshTokens.use(String(body.refresh_token ?? ''), app.clientId);
    if (!used.ok) {
      if (used.reason === 'revoked') return sendAadstsError(res, 400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed.');
      if (used.reason === 'expired') return sendAadstsError(res, 400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90 days.');
      return sendAadstsError(res, 400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    }
    const granted = new Set(used.grant.scopes.map((scope) => scope.toLowerCase()));
    const extra = requested.filter((scope) => !granted.has(scope.toLowerCase()) && scope !== 'offline_access');
    if (extra.length > 0) return sendAadstsError(res, 400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.name}'. Send an interactive authorization request for this user and resource.`);
    grant = { ...used.grant, scopes: requested };
  } else {
    return sendAadstsError(res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${String(grantType)}'.`);
  }
  if (!context.state.consents.has(`${grant.userId} ${grant.clientId}`)) {
    return sendAadstsError(res, 400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.name}'. Send an interactive authorization request for this user and resource.`);
  }
  const user = context.state.users.get(grant.userId)!;
  const now = context.clock.now();
  const issuer = issuerOf(context, tenant);
  const devops = devopsScopes(grant.scopes);
  // `uti`: Entra's unique token identifier; the emulator keeps it to expire tokens on request.
  const uti = randomBytes(16).toString('base64url');
  context.state.accessTokens.set(uti, { userId: user.id, expired: false });
  const accessToken = await context.signer.sign(
    { uti, oid: user.id, tid: tenant.id, name: user.displayName, preferred_username: user.email, upn: user.email, scp: devops.join(' '), appid: app.clientId, azp: app.clientId, ver: '2.0' },
    { issuer, audience: AZURE_DEVOPS_RESOURCE, subject: user.id, expiresInSeconds: ACCESS_TOKEN_SECONDS, now },
  );
  const answer: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: [...devops.map((scope) => `${AZURE_DEVOPS_RESOURCE}/${scope}`), ...grant.scopes.filter((scope) => OIDC_SCOPES.has(scope) && scope !== 'offline_access')].join(' '),
    expires_in: ACCESS_TOKEN_SECONDS,
    ext_expires_in: ACCESS_TOKEN_SECONDS,
    access_token: accessToken,
  };
  if (grant.scopes.includes('offline_access')) answer.refresh_token = context.refreshTokens.issue(app.clientId, grant).value;
  if (grant.scopes.includes('openid')) {
    answer.id_token = await context.signer.sign(
      { oid: user.id, tid: tenant.id, ver: '2.0', ...(grant.scopes.includes('profile') ? { name: user.displayName, preferred_username: user.email } : {}), ...(grant.scopes.includes('email') ? { email: user.email } : {}) },
      { issuer, audience: app.clientId, subject: user.id, expiresInSeconds: ACCESS_TOKEN_SECONDS, now },
    );
  }
  res.set('Cache-Control', 'no-store').json(answer);
}
