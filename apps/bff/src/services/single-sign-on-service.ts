import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import {
  showForbiddenCharacters,
  forbiddenTextCharacters,
  type SaveSsoSettingsRequest,
  type SessionUser,
  type SignInOptions,
  type SsoErrorCode,
  type SsoSettings,
  ssoErrorMessages,
} from '@runner-console/contracts';
import type { Db } from '../store/database.ts';
import type { SsoStore } from '../store/sso-store.ts';
import type { SsoSettingsTable } from '../store/schema.ts';
import type { AuditStore } from '../store/audit-store.ts';
import type { Logger } from '../logger.ts';
import type { SsoSecretBox } from './sso-secret-box.ts';
import { HttpError } from '../http/http-error.ts';
import { hashSecretToken } from './secret-tokens.ts';

/** A started sign-in may take this long at the identity provider (as Connect flows: 10 minutes). */
export const ssoAttemptMs = 10 * 60 * 1000;
export const ssoCallbackPath = '/api/auth/sso/callback';
/** Users made by single sign-on have no password: this is no scrypt hash, so no password matches it. */
const noPassword = 'sso-only';

/** A sign-in that ends on the sign-in page with one of the fixed messages (never the provider's text). */
export class SsoRefusal extends Error {
  constructor(readonly code: SsoErrorCode, detail?: string) {
    super(detail ?? code);
  }
}

const isLoopback = (url: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');

/**
 * Single sign-on with OpenID Connect through panva's openid-client: authorization code flow with
 * PKCE (S256), `state` and `nonce`, the ID token checked by the library (signature, issuer,
 * audience, expiry, nonce). State, nonce and verifier stay server-side, bound to the browser by the
 * hash of an HttpOnly cookie, and are used once.
 */
export function createSingleSignOnService(deps: { db: Db; store: SsoStore; box: SsoSecretBox; audit: AuditStore; log: Logger; publicUrl: string }) {
  const { db, store, box, audit, log } = deps;
  const redirectUri = `${deps.publicUrl}${ssoCallbackPath}`;
  /** Discovery per organization, until its settings change (updated_at). */
  const configs = new Map<string, { updatedAt: string; config: oidc.Configuration }>();

  async function discover(issuerUrl: string, clientId: string, clientSecret: string): Promise<oidc.Configuration> {
    const issuer = new URL(issuerUrl);
    const insecure = issuer.protocol === 'http:' && isLoopback(issuer);
    // client_secret_basic is OpenID Connect's default; use post only where the provider lists only it.
    const config = await oidc.discovery(issuer, clientId, undefined, undefined, { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: 10 });
    const methods = config.serverMetadata().token_endpoint_auth_methods_supported;
    const auth = methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post') ? oidc.ClientSecretPost(clientSecret) : oidc.ClientSecretBasic(clientSecret);
    return oidc.discovery(issuer, clientId, undefined, auth, { execute: insecure ? [oidc.allowInsecureRequests] : [], timeout: 10 });
  }

  /** The saved settings' configuration, discovered again only after they changed. */
  async function configFor(row: SsoSettingsTable): Promise<oidc.Configuration> {
    const cached = configs.get(row.org_id);
    if (cached && cached.updatedAt === row.updated_at) return cached.config;
    const secret = await box.open(row.org_id, row.client_secret_sealed);
    const config = await discover(row.issuer_url, row.client_id, secret);
    configs.set(row.org_id, { updatedAt: row.updated_at, config });
    return config;
  }

  function toApi(row: SsoSettingsTable | undefined): SsoSettings {
    return {
      configured: Boolean(row),
      displayName: row?.display_name ?? null,
      issuerUrl: row?.issuer_url ?? null,
      clientId: row?.client_id ?? null,
      clientSecretSet: Boolean(row?.client_secret_sealed),
      allowedDomains: row ? (JSON.parse(row.allowed_domains) as string[]) : [],
      requireSso: Boolean(row?.require_sso),
      redirectUri,
      updatedAt: row?.updated_at ?? null,
    };
  }

  return {
    redirectUri,

    async getSettings(user: SessionUser): Promise<SsoSettings> {
      return toApi(await store.settings(user.orgId));
    },

    async saveSettings(user: SessionUser, body: SaveSsoSettingsRequest): Promise<SsoSettings> {
      const existing = await store.settings(user.orgId);
      let secret = body.clientSecret;
      if (!secret) {
        if (!existing) throw new HttpError(400, 'validation_failed', 'Enter the client secret.', { clientSecret: 'Enter the client secret your identity provider gave this app.' });
        secret = await box.open(user.orgId, existing.client_secret_sealed);
      }
      try {
        await discover(body.issuerUrl, body.clientId, secret);
      } catch (err) {
        throw new HttpError(400, 'validation_failed', 'The issuer could not be checked.', { issuerUrl: describeDiscoveryError(err, body.issuerUrl) });
      }
      const domains = [...new Set(body.allowedDomains)];
      const row: SsoSettingsTable = {
        org_id: user.orgId,
        display_name: body.displayName,
        issuer_url: body.issuerUrl,
        client_id: body.clientId,
        client_secret_sealed: body.clientSecret ? await box.seal(user.orgId, body.clientSecret) : existing!.client_secret_sealed,
        allowed_domains: JSON.stringify(domains),
        require_sso: body.requireSso ? 1 : 0,
        updated_at: new Date().toISOString(),
        updated_by: user.id,
      };
      await store.upsert(row);
      configs.delete(user.orgId);
      await audit.record({
        orgId: user.orgId,
        runnerId: null,
        actor: user,
        action: existing ? 'sso.updated' : 'sso.configured',
        target: body.displayName,
        // Field names and non-secret values only: never the client secret.
        details: { issuerUrl: body.issuerUrl, clientId: body.clientId, allowedDomains: domains, requireSso: body.requireSso, clientSecretChanged: Boolean(body.clientSecret) },
      });
      return toApi(row);
    },

    /** Safe twice: turning off what is already off answers the same. */
    async deleteSettings(user: SessionUser): Promise<void> {
      const existing = await store.settings(user.orgId);
      if (!existing) return;
      await store.remove(user.orgId);
      configs.delete(user.orgId);
      await audit.record({ orgId: user.orgId, runnerId: null, actor: user, action: 'sso.removed', target: existing.display_name });
    },

    async signInOptions(): Promise<SignInOptions> {
      const rows = await store.listConfigured();
      return { singleSignOn: rows.map((r) => ({ orgId: r.org_id, orgName: showForbiddenCharacters(r.org_name), displayName: r.display_name })) };
    },

    /** The identity provider's authorize URL, and the attempt cookie's value (kept only as a hash). */
    async start(orgId: string, invitationHash: string | null = null): Promise<{ redirectTo: string; attemptCookie: string }> {
      const row = await store.settings(orgId);
      if (!row) throw new SsoRefusal('not_configured');
      const config = await configFor(row).catch((err: Error) => {
        log.warn({ orgId, err: err.message }, 'single sign-on: the issuer could not be reached');
        throw new SsoRefusal('provider_error');
      });
      const attemptCookie = randomBytes(32).toString('base64url');
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const now = Date.now();
      await store.deleteExpiredAttempts(new Date(now).toISOString());
      await store.insertAttempt({
        id_hash: hashSecretToken(attemptCookie),
        org_id: orgId,
        state,
        nonce,
        code_verifier: verifier,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + ssoAttemptMs).toISOString(),
        invitation_hash: invitationHash,
      });
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { redirectTo: url.href, attemptCookie };
    },

    /**
     * Join by invitation through single sign-on: the attempt carries only the hash of the invitation
     * token (the token never leaves this server, and the provider's `state` stays random). The
     * invitation is checked again, and used, when the browser comes back.
     */
    async startForInvitation(current: SessionUser | undefined, token: string): Promise<{ redirectTo: string; attemptCookie: string }> {
      if (current) throw new HttpError(409, 'conflict', `You are signed in as ${current.email}. Sign out first, then open the invitation link again.`);
      const tokenHash = hashSecretToken(token);
      const link = await liveInvitation(tokenHash);
      if (!link) throw new HttpError(404, 'not_found', 'This invitation link does not work any more: it was used, revoked or has expired. Ask an admin of the organization for a new one.');
      if (!(await store.settings(link.org_id))) throw new HttpError(404, 'not_found', 'This organization does not use single sign-on any more. Join with a name and password instead.');
      try {
        return await this.start(link.org_id, tokenHash);
      } catch (err) {
        if (err instanceof SsoRefusal) throw new HttpError(502, 'provider_unreachable', ssoErrorMessages[err.code]);
        throw err;
      }
    },

    /**
     * The callback: this browser's attempt (taken out, so a replay finds nothing), its state, the code
     * exchanged with the verifier, the ID token's nonce, a verified e-mail in an allowed domain. Answers
     * the user to start a session for; a first sign-in creates a member.
     */
    async finish(attemptCookie: string | undefined, search: string): Promise<{ userId: string }> {
      if (!attemptCookie) throw new SsoRefusal('expired', 'no attempt cookie');
      const attempt = await store.takeAttempt(hashSecretToken(attemptCookie));
      if (!attempt || Date.parse(attempt.expires_at) < Date.now()) throw new SsoRefusal('expired', 'no live attempt for this browser');
      const params = new URLSearchParams(search);
      const state = params.get('state') ?? '';
      if (!sameText(state, attempt.state)) throw new SsoRefusal('state_mismatch', 'state does not match this browser’s attempt');
      const row = await store.settings(attempt.org_id);
      if (!row) throw new SsoRefusal('not_configured');
      let claims: (oidc.IDToken & Partial<oidc.UserInfoResponse>) | undefined;
      try {
        const config = await configFor(row);
        const tokens = await oidc.authorizationCodeGrant(config, new URL(`${redirectUri}?${params}`), {
          pkceCodeVerifier: attempt.code_verifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims();
        // Many providers put e-mail and name only in the UserInfo answer (OpenID Connect Core 5.4);
        // openid-client checks that its `sub` is the ID token's.
        if (claims && typeof claims.email !== 'string') claims = { ...claims, ...(await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) };
      } catch (err) {
        // openid-client wraps oauth4webapi's error, whose message names the check that failed
        // (the nonce, issuer, audience, …): log both.
        const cause = (err as { cause?: { message?: unknown } }).cause?.message;
        throw new SsoRefusal('provider_error', `${(err as Error).message}${typeof cause === 'string' ? `: ${cause}` : ''}`);
      }
      if (!claims) throw new SsoRefusal('provider_error', 'no ID token');
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
      // Only a provider's explicit "verified" counts: an address nobody proved could be anyone's.
      if (!email || claims.email_verified !== true) throw new SsoRefusal('email_unverified');
      // An invitation is its own allow-list entry: it admits exactly the address it was made for.
      if (attempt.invitation_hash) return joinByInvitation(row, attempt.invitation_hash, email, claims);
      const domain = email.slice(email.lastIndexOf('@') + 1);
      const allowed = JSON.parse(row.allowed_domains) as string[];
      if (!email.includes('@') || !allowed.includes(domain)) throw new SsoRefusal('domain_not_allowed', `domain ${domain}`);

      const existing = await db.selectFrom('users').select(['id', 'org_id']).where('email', '=', email).executeTakeFirst();
      if (existing) {
        if (existing.org_id !== row.org_id) throw new SsoRefusal('other_organization');
        // Members made just in time before sign_in_method was set for them: mark them now.
        await db.updateTable('users').set({ sign_in_method: 'sso' }).where('id', '=', existing.id).where('password_hash', '=', noPassword).where('sign_in_method', '!=', 'sso').execute();
        return { userId: existing.id };
      }
      const id = randomUUID();
      const name = displayNameOf(claims, email);
      await db.insertInto('users').values({ id, org_id: row.org_id, email, name, role: 'member', password_hash: noPassword, sign_in_method: 'sso', created_at: new Date().toISOString() }).execute();
      await audit.record({ orgId: row.org_id, runnerId: null, actor: { id, email }, action: 'member.joined_by_sso', target: email, details: { provider: row.display_name } });
      return { userId: id };
    },
  };

  function liveInvitation(tokenHash: string) {
    return db
      .selectFrom('account_links')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .where('kind', '=', 'invitation')
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date().toISOString())
      .executeTakeFirst();
  }

  /**
   * The invitation this sign-in carries is used once, with its role, and only for the e-mail it
   * was made for (the provider's verified one). A different address leaves it untouched.
   */
  async function joinByInvitation(row: SsoSettingsTable, tokenHash: string, email: string, claims: { name?: unknown }): Promise<{ userId: string }> {
    const link = await liveInvitation(tokenHash);
    if (!link || link.org_id !== row.org_id) throw new SsoRefusal('invitation_gone');
    if (link.email.toLowerCase() !== email) throw new SsoRefusal('invitation_email_mismatch', 'the verified e-mail is not the invited one');
    const existing = await db.selectFrom('users').select(['id', 'org_id']).where('email', '=', email).executeTakeFirst();
    if (existing) {
      // Already a member (say, joined just in time meanwhile): sign them in; the invitation is moot.
      if (existing.org_id !== row.org_id) throw new SsoRefusal('other_organization');
      return { userId: existing.id };
    }
    const id = randomUUID();
    const now = new Date().toISOString();
    await db.transaction().execute(async (trx) => {
      // The conditional update is the single-use check: of two racing callbacks one wins.
      const used = await trx
        .updateTable('account_links')
        .set({ used_at: now })
        .where('id', '=', link.id)
        .where('used_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw new SsoRefusal('invitation_gone');
      await trx
        .insertInto('users')
        .values({ id, org_id: row.org_id, email, name: displayNameOf(claims, email), role: link.role ?? 'member', password_hash: noPassword, sign_in_method: 'sso', created_at: now })
        .execute();
    });
    await audit.record({ orgId: row.org_id, runnerId: null, actor: { id, email }, action: 'invitation.accepted', target: email, details: { role: link.role, invitedBy: link.created_by_email, via: 'single sign-on', provider: row.display_name } });
    return { userId: id };
  }
}
export type SingleSignOnService = ReturnType<typeof createSingleSignOnService>;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The provider's name claim, within the text rule; else the e-mail's local part. */
function displayNameOf(claims: { name?: unknown }, email: string): string {
  const raw = typeof claims.name === 'string' ? claims.name : '';
  const clean = raw.replace(new RegExp(forbiddenTextCharacters.source, 'g'), '').trim().slice(0, 100);
  return clean || email.slice(0, email.indexOf('@'));
}

/** What the admin reads under the issuer field: what went wrong, in words, without internals. */
function describeDiscoveryError(err: unknown, issuerUrl: string): string {
  const where = `${issuerUrl.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const e = err as { code?: string; cause?: { code?: string }; message?: string; name?: string };
  const code = e.cause?.code ?? e.code;
  if (code === 'ECONNREFUSED') return `Nothing answers at ${where}. Check the issuer URL.`;
  if (e.name === 'TypeError' && e.message === 'fetch failed') return `Could not connect to ${where}. Check the issuer URL, and that Runner Console can reach it.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of ${issuerUrl} does not resolve. Check the issuer URL.`;
  if (e.name === 'TimeoutError' || e.name === 'AbortError' || code === 'OAUTH_TIMEOUT') return `${where} did not answer within 10 seconds.`;
  if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_RESPONSE_IS_NOT_JSON' || code === 'OAUTH_INVALID_RESPONSE') {
    return `${where} is not a valid OpenID Connect discovery document. Check the issuer URL (it is the "issuer" value your provider shows).`;
  }
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') return `The discovery document at ${where} names another issuer. Use exactly the issuer URL it names.`;
  return `The discovery document at ${where} could not be read or is not valid. Check the issuer URL.`;
}
