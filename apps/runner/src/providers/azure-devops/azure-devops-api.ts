// Azure DevOps' REST API at api-version 7.1, as much of it as the runner uses, typed from
// Microsoft's own interfaces (azure-devops-node-api). Plain fetch rather than the client: the runner
// needs the status, the continuation-token header and no location negotiation round trips.
// https://learn.microsoft.com/en-us/rest/api/azure/devops/git/?view=azure-devops-rest-7.1
import type { GitCommit, GitPullRequest, GitRef, GitRepository } from 'azure-devops-node-api/interfaces/GitInterfaces.js';
import { ProviderApiError, type ProviderCall, type ProviderEndpoints } from '../provider-adapter.ts';

export type { GitCommit, GitPullRequest, GitRef, GitRepository };

export const API_VERSION = '7.1';
const TIMEOUT_MS = 15_000;
const CLOUD_SITE = 'https://dev.azure.com';
/** The profile API's host on the real service: https://learn.microsoft.com/en-us/rest/api/azure/devops/profile/profiles/get */
export const PROFILE_HOST = 'app.vssps.visualstudio.com';

export interface Profile {
  id: string;
  displayName: string;
  emailAddress: string;
  publicAlias: string;
}

export interface ConnectionData {
  authenticatedUser: { id: string; providerDisplayName: string; properties?: { Account?: { $value?: string } } };
}

/** Where org-less calls go (profile, accounts): app.vssps.visualstudio.com, or the configured emulator. */
export function profileOrigin(endpoints: ProviderEndpoints): string {
  const configured = endpoints.siteForHost?.(PROFILE_HOST);
  if (configured) return configured;
  return endpoints.siteUrl === CLOUD_SITE ? `https://${PROFILE_HOST}` : endpoints.siteUrl;
}

/** Path segments, each encoded: `acme/My Project` → `acme/My%20Project`. */
export function pathOf(segments: readonly string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

export interface AzureAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * One REST call (`url` absolute, `api-version` added). Failures become ProviderApiError with a
 * sentence for the developer: 401 (the token is not accepted, or a PAT lacks the scope), 403, 404,
 * 429 with Retry-After ("rate limited until …", never retried here), 5xx, network.
 */
export async function azureRequest<T>(call: ProviderCall, url: string): Promise<AzureAnswer<T>> {
  const target = new URL(url);
  target.searchParams.set('api-version', API_VERSION);
  let response: Response;
  try {
    response = await call.fetch(target, { headers: { authorization: call.authorization, accept: 'application/json' }, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ProviderApiError(0, 'provider_unreachable', `Azure DevOps (${call.endpoints.host}) could not be reached from the runner. Try again in a moment.`);
  }
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  // A sign-in page (203, or a redirect to it) instead of JSON: the credentials were not taken.
  if (response.status === 203 || (response.status >= 300 && response.status < 400)) throw new ProviderApiError(401, 'unauthorized', 'Azure DevOps did not accept the token (it answered with its sign-in page).');
  if (response.ok) return { status: response.status, headers: response.headers, body: body as T };
  throw errorFor(response, body, call.endpoints.host);
}

/** Every page of a list that answers `x-ms-continuationtoken` (refs), at most `maxPages`. */
export async function azureList<T>(call: ProviderCall, url: string, maxPages = 20): Promise<T[]> {
  const out: T[] = [];
  let continuation: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const target = new URL(url);
    if (continuation) target.searchParams.set('continuationToken', continuation);
    const { body, headers } = await azureRequest<{ value?: T[] }>(call, target.href);
    out.push(...(body?.value ?? []));
    continuation = headers.get('x-ms-continuationtoken');
    if (!continuation) break;
  }
  return out;
}

/** When a rate-limited caller may try again: `Retry-After` (seconds) or `X-RateLimit-Reset` (epoch seconds). */
export function rateLimitedUntil(headers: Headers, now = Date.now()): Date | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter && /^\d{1,7}$/.test(retryAfter)) return new Date(now + Number(retryAfter) * 1000);
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d{1,12}$/.test(reset)) return new Date(Number(reset) * 1000);
  return null;
}

function errorFor(response: Response, body: unknown, host: string): ProviderApiError {
  const { status } = response;
  const message = (body as { message?: unknown } | undefined)?.message;
  const detail = typeof message === 'string' && message.length > 0 ? message.slice(0, 300) : `HTTP ${status}`;
  if (status === 429) {
    const until = rateLimitedUntil(response.headers);
    const when = until === null ? 'for a while' : `until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return new ProviderApiError(429, 'rate_limited', `Azure DevOps (${host}) has rate limited this account ${when}. Try again after that.`);
  }
  if (status === 401) return new ProviderApiError(401, 'unauthorized', `Azure DevOps did not accept the token (${detail}).`);
  if (status === 403) return new ProviderApiError(403, 'forbidden', `Azure DevOps refused: ${detail}`);
  if (status === 404) return new ProviderApiError(404, 'not_found', detail);
  return new ProviderApiError(status, 'provider_error', `Azure DevOps answered with an error (${detail}). Try again later.`);
}
