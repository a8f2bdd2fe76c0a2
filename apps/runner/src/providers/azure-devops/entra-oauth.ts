// Microsoft Entra ID as the runner meets it: the tenant's endpoints through OpenID discovery, and
// what its AADSTS answers mean for the developer or the admin.
// https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc
// https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes
import type * as oauth from 'oauth4webapi';
import { z } from 'zod';
import type { ClientCheckVerdict, OAuthRefusal, OAuthRefusalMeaning, ProviderEndpoints } from '../provider-adapter.ts';

/** Entra's national clouds' authorities: the only origins a client secret may be sent to (besides a configured one). */
const AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'];
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
const DISCOVERY_TTL_MS = 10 * 60_000;

export class EntraDiscoveryError extends Error {}

/**
 * The authority origin and tenant of an issuer URL (`https://login.microsoftonline.com/{tenant}/v2.0`),
 * with the origin the runner really calls: the configured site for that authority (an emulator), or
 * the authority itself. An issuer elsewhere is refused before any request, so the BFF cannot point
 * the client secret at a server of its choosing.
 */
export function readIssuer(endpoints: ProviderEndpoints): { tenant: string; callOrigin: string } {
  const issuer = endpoints.issuerUrl;
  if (!issuer) throw new EntraDiscoveryError('The integration names no Microsoft Entra tenant.');
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new EntraDiscoveryError('The integration’s tenant issuer is not a URL.');
  }
  const [tenant = '', version, ...rest] = url.pathname.split('/').filter(Boolean);
  if (!TENANT.test(tenant) || (version !== undefined && version !== 'v2.0') || rest.length > 0 || url.search || url.hash || url.username) {
    throw new EntraDiscoveryError('The integration’s tenant issuer is not a Microsoft Entra issuer (https://login.microsoftonline.com/{tenant}/v2.0).');
  }
  for (const authority of AUTHORITIES) {
    const configured = endpoints.siteForHost?.(authority) ?? null;
    if (url.protocol === 'https:' && url.host === authority) return { tenant, callOrigin: configured ? new URL(configured).origin : url.origin };
    // The issuer of the authority's stand-in, pasted as it is (under `npm start`: the Entra emulator).
    if (configured && new URL(configured).origin === url.origin) return { tenant, callOrigin: url.origin };
  }
  throw new EntraDiscoveryError(`The runner sends client secrets only to Microsoft Entra ID (${AUTHORITIES[0]}), not to ${url.host}.`);
}

const DiscoveryDocument = z.object({ issuer: z.string(), authorization_endpoint: z.string(), token_endpoint: z.string() });

const cache = new Map<string, { at: number; server: oauth.AuthorizationServer }>();

/** The tenant's v2.0 authorize and token endpoints, from `{authority}/{tenant}/v2.0/.well-known/openid-configuration`. */
export async function discoverEntraTenant(endpoints: ProviderEndpoints, fetchImpl: typeof fetch, now = Date.now()): Promise<oauth.AuthorizationServer> {
  const { tenant, callOrigin } = readIssuer(endpoints);
  const key = `${callOrigin}/${tenant}`;
  const cached = cache.get(key);
  if (cached && now - cached.at < DISCOVERY_TTL_MS) return cached.server;
  let response: Response;
  try {
    response = await fetchImpl(`${callOrigin}/${encodeURIComponent(tenant)}/v2.0/.well-known/openid-configuration`, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new EntraDiscoveryError(`Microsoft Entra ID (${new URL(callOrigin).host}) could not be reached from the runner.`);
  }
  if (response.status === 400 || response.status === 404) throw new EntraDiscoveryError(`Microsoft Entra ID does not know the tenant ${tenant}: check the Directory (tenant) ID.`);
  const parsed = DiscoveryDocument.safeParse(await response.json().catch(() => null));
  if (!response.ok || !parsed.success) throw new EntraDiscoveryError(`Microsoft Entra ID answered the discovery of tenant ${tenant} with something the runner cannot read (HTTP ${response.status}).`);
  const document = parsed.data;
  // The discovered endpoints must be on the authority the runner chose: a document cannot send the secret elsewhere.
  for (const endpoint of [document.authorization_endpoint, document.token_endpoint]) {
    let origin: string;
    try {
      origin = new URL(endpoint).origin;
    } catch {
      origin = '';
    }
    if (origin !== callOrigin) throw new EntraDiscoveryError(`The discovery of tenant ${tenant} names an endpoint outside Microsoft Entra ID (${origin || endpoint.slice(0, 60)}): refused.`);
  }
  const server: oauth.AuthorizationServer = { issuer: document.issuer, authorization_endpoint: document.authorization_endpoint, token_endpoint: document.token_endpoint };
  cache.set(key, { at: now, server });
  return server;
}

/** `AADSTS7000215: Invalid client secret…` → 7000215. */
export function aadstsCode(refusal: Pick<OAuthRefusal, 'description'>): number | null {
  const match = /^AADSTS(\d{4,8})\b/.exec(refusal.description ?? '');
  return match ? Number(match[1]) : null;
}

const CONNECT_AGAIN = 'Click Connect again.';

/** What an AADSTS answer means, at the step it came, for the person who must act. */
export function describeEntraRefusal(refusal: OAuthRefusal, step: 'authorize' | 'exchange' | 'refresh'): OAuthRefusalMeaning {
  const code = aadstsCode(refusal);
  if (refusal.error === 'access_denied' && (code === null || code === 65004)) {
    return { failureCode: 'access_denied', message: `You declined the consent on Microsoft Entra ID, so Azure DevOps was not connected. ${CONNECT_AGAIN} and choose Accept.` };
  }
  switch (code) {
    case 7000215:
      return { failureCode: 'invalid_client', message: 'Microsoft Entra ID refused the client secret. An admin must copy the secret’s Value (not its Secret ID) from the app registration’s Certificates & secrets into the integration.' };
    case 7000222:
      return { failureCode: 'invalid_client', message: 'The app registration’s client secret has expired. An admin must create a new client secret in Microsoft Entra ID (Certificates & secrets) and enter it in the integration.' };
    case 700016:
      return { failureCode: 'invalid_client', message: 'Microsoft Entra ID does not know the Application (client) ID in this tenant. An admin must check the Application (client) ID and the Directory (tenant) ID of the integration.' };
    case 50011:
      return { failureCode: 'invalid_client', message: 'The app registration does not list the runner’s Callback URL. An admin must add it as a Web redirect URI in Microsoft Entra ID.' };
    case 65001:
    case 90094:
      return { failureCode: 'provider_error', message: 'Nobody has consented to the app’s Azure DevOps permission yet. An admin must open API permissions in the app registration and Grant admin consent (vso.code_write), then you Connect again.' };
    case 50020:
      return { failureCode: 'access_denied', message: 'You signed in with an account from another Microsoft Entra tenant. Sign in with your account of the organization’s tenant (or ask an admin to invite you as a guest), then Connect again.' };
    case 50173:
    case 50057:
      return { failureCode: 'provider_error', message: `Microsoft Entra ID no longer accepts this connection (the grant was revoked or the account disabled). ${CONNECT_AGAIN}` };
    case 700082:
      return { failureCode: 'provider_error', message: `This connection was unused for 90 days and expired. ${CONNECT_AGAIN}` };
    case 90014:
      return { failureCode: 'provider_error', message: `Microsoft Entra ID refused the request because it named no scopes. ${CONNECT_AGAIN}` };
  }
  if (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client') {
    return { failureCode: 'invalid_client', message: 'Microsoft Entra ID refused the app registration’s credentials. An admin must check the Application (client) ID and the client secret of the integration.' };
  }
  const detail = refusal.description ? ` (${refusal.description.split(' Trace ID:')[0]!.slice(0, 200)})` : '';
  const what = step === 'refresh' ? 'renewing your connection' : 'signing you in';
  return { failureCode: 'provider_error', message: `Microsoft Entra ID refused ${what}${detail}. ${CONNECT_AGAIN}` };
}

/**
 * Validate sends a code that cannot exist with the admin's credentials: Entra checks the client
 * first, so invalid_client / unauthorized_client means the credentials, invalid_grant a good client.
 */
export function judgeEntraClientCheck(refusal: OAuthRefusal | null, status: number): ClientCheckVerdict {
  if (refusal && (refusal.error === 'invalid_client' || refusal.error === 'unauthorized_client')) {
    return { status: 'invalid_credentials', message: describeEntraRefusal(refusal, 'exchange').message };
  }
  if (refusal && (refusal.error === 'invalid_grant' || refusal.error === 'invalid_request')) {
    return { status: 'valid', message: 'Microsoft Entra ID accepted the Application (client) ID and the client secret.' };
  }
  if (status >= 500 || refusal === null) return { status: 'provider_unreachable', message: `Microsoft Entra ID did not answer the check (HTTP ${status}). Try again in a moment.` };
  return { status: 'invalid_credentials', message: describeEntraRefusal(refusal, 'exchange').message };
}
