import { expect } from 'vitest';
import { BrowserClient, readHiddenFields } from '@runner-console/emulator-kit/testing';

export const DEFAULT_CALLBACK = 'http://127.0.0.1:9/callback';
/** The scopes the product asks its admins to tick. */
export const PRODUCT_PERMISSIONS = [
  'account',
  'repository',
  'repository:write',
  'pullrequest',
  'issue',
];

export interface TestConsumer {
  key: string;
  secret: string;
  callbackUrl: string;
}

export interface ConsumerOptions {
  name?: string;
  callbackUrl?: string;
  permissions?: string[];
  private?: boolean;
}

export async function createConsumer(
  baseUrl: string,
  options: ConsumerOptions = {},
): Promise<TestConsumer> {
  const callbackUrl = options.callbackUrl ?? DEFAULT_CALLBACK;
  const response = await fetch(`${baseUrl}/_emulator/consumers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workspace: 'acme',
      name: options.name ?? 'Runner Console test',
      callbackUrl,
      permissions: options.permissions ?? PRODUCT_PERMISSIONS,
      private: options.private ?? false,
    }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { key: string; secret: string };
  return { ...body, callbackUrl };
}

export async function signIn(
  browser: BrowserClient,
  username: string,
  password = username,
): Promise<void> {
  const page = await browser.get('/account/signin/');
  const { csrf_token: csrf = '' } = readHiddenFields(await page.text());
  const response = await browser.postForm('/account/signin/', {
    csrf_token: csrf,
    next: '/',
    username,
    password,
  });
  expect(response.status).toBe(302);
}

export interface AuthorizeParams {
  clientId: string;
  state?: string;
  redirectUri?: string;
}

export function authorizePath(params: AuthorizeParams): string {
  const query = new URLSearchParams({ client_id: params.clientId, response_type: 'code' });
  if (params.state !== undefined) query.set('state', params.state);
  if (params.redirectUri !== undefined) query.set('redirect_uri', params.redirectUri);
  return `/site/oauth2/authorize?${query.toString()}`;
}

/** Opens the authorize URL with a signed-in browser and answers the consent page; returns where it redirected. */
export async function authorize(
  browser: BrowserClient,
  params: AuthorizeParams,
  decision: 'grant' | 'cancel' = 'grant',
): Promise<URL> {
  const response = await browser.get(authorizePath(params));
  if (response.status === 302) return new URL(response.headers.get('location') ?? '');
  expect(response.status).toBe(200);
  const fields = readHiddenFields(await response.text());
  const answer = await browser.postForm('/site/oauth2/authorize', { ...fields, decision });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location') ?? '');
}

export async function requestToken(
  baseUrl: string,
  consumer: Pick<TestConsumer, 'key' | 'secret'>,
  fields: Record<string, string>,
): Promise<Response> {
  return fetch(`${baseUrl}/site/oauth2/access_token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields),
  });
}

export interface Tokens {
  access_token: string;
  /** Absent for client_credentials. */
  refresh_token: string;
  scope: string;
  token_type: string;
  expires_in: number;
  state: string;
}

/** The whole authorization code flow for a user: sign in, grant, exchange. */
export async function obtainTokens(
  baseUrl: string,
  consumer: TestConsumer,
  username = 'alice',
): Promise<Tokens> {
  const browser = new BrowserClient(baseUrl);
  await signIn(browser, username);
  const redirect = await authorize(browser, { clientId: consumer.key, state: 's' });
  const code = redirect.searchParams.get('code') ?? '';
  const response = await requestToken(baseUrl, consumer, {
    grant_type: 'authorization_code',
    code,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Tokens;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export async function setClockOffset(baseUrl: string, offsetSeconds: number): Promise<void> {
  const response = await fetch(`${baseUrl}/_emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ offsetSeconds }),
  });
  expect(response.status).toBe(200);
}
