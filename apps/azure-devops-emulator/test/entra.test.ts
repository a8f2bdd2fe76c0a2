// The Entra ID emulator as the runner meets it: discovery and JWKS, the sign-in and consent pages,
// signed JWTs for Azure DevOps (aud 499b84ac-…) and for the app (the ID token), and the AADSTS
// answers, among them the refresh that omits `scope`, which Entra refuses.
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from './harness.ts';

const CALLBACK = 'http://127.0.0.1:7999/oauth/callback';
const SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/vso.code_write openid profile email offline_access';

describe('the Entra ID emulator', () => {
  let emulators: RunningEmulators;
  let app: { clientId: string; clientSecret: string; tenantId: string; issuerUrl: string };
  let discovery: Record<string, string>;

  beforeAll(async () => {
    emulators = await startEmulators();
    app = (await emulators.testApi('/_emulator/app-registrations', { tenant: 'acme', name: 'Runner Console', redirectUri: CALLBACK })).body as typeof app;
    discovery = (await (await fetch(`${emulators.entraUrl}/acme/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
  });
  afterAll(() => emulators.close());

  async function signInAndConsent(decision: 'grant' | 'cancel' = 'grant'): Promise<URL> {
    const browser = new BrowserClient(emulators.entraUrl);
    const url = new URL(discovery.authorization_endpoint!);
    for (const [name, value] of Object.entries({ client_id: app.clientId, response_type: 'code', redirect_uri: CALLBACK, scope: SCOPE, state: 's1' })) url.searchParams.set(name, value);
    let response = await browser.followRedirects(await browser.get(url.href));
    for (let step = 0; step < 4 && !isRedirect(response); step++) {
      const page = await response.text();
      const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1] ?? '';
      const fields = Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
      response = await browser.followRedirects(await browser.postForm(action.replace(/&amp;/g, '&'), page.includes('name="password"') ? { ...fields, login: 'alice', password: 'alice' } : { ...fields, decision }));
    }
    return new URL(response.headers.get('location') ?? '');
  }

  const token = async (fields: Record<string, string>) => {
    const response = await fetch(discovery.token_endpoint!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, ...fields }) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('publishes the tenant’s endpoints and issuer, with the tenant’s id', () => {
    expect(discovery.issuer).toBe(app.issuerUrl);
    expect(discovery.issuer).toBe(`${emulators.entraUrl}/${app.tenantId}/v2.0`);
    expect(discovery.token_endpoint).toBe(`${emulators.entraUrl}/${app.tenantId}/oauth2/v2.0/token`);
  });

  it('signs in, asks for consent, and issues JWTs signed with the JWKS key: an access token for Azure DevOps and an ID token for the app', async () => {
    const callback = await signInAndConsent();
    expect(callback.searchParams.get('state')).toBe('s1');
    const answer = await token({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: CALLBACK });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', scope: expect.stringContaining('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write') });
    expect(answer.body.expires_in).toBeGreaterThan(3000);
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri!));
    const access = await jwtVerify(answer.body.access_token as string, keys, { issuer: discovery.issuer, audience: '499b84ac-1321-427f-aa17-267ca6975798' });
    expect(access.payload).toMatchObject({ scp: 'vso.code_write', tid: app.tenantId });
    const id = await jwtVerify(answer.body.id_token as string, keys, { issuer: discovery.issuer, audience: app.clientId });
    expect(id.payload).toMatchObject({ name: 'Alice', email: 'alice@acme.test' });
  });

  it('refuses a refresh that omits the scopes, as Entra does (AADSTS90014), and renews one that sends them again', async () => {
    const callback = await signInAndConsent();
    const first = await token({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: CALLBACK });
    const refused = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request', error_codes: [90014], error_description: expect.stringMatching(/^AADSTS90014: .*'scope'/) });
    expect(refused.body).toHaveProperty('trace_id');
    expect(refused.body).toHaveProperty('correlation_id');
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, scope: SCOPE });
    expect(renewed.status).toBe(200);
    expect(renewed.body.access_token).not.toBe(first.body.access_token);
  });

  it('answers a wrong and an expired client secret with AADSTS7000215 and AADSTS7000222', async () => {
    const wrong = await token({ grant_type: 'authorization_code', code: 'nope', redirect_uri: CALLBACK, client_secret: 'not-the-secret' });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000215] } });
    const other = (await emulators.testApi('/_emulator/app-registrations', { tenant: 'acme', name: 'Expiring', redirectUri: CALLBACK })).body;
    await emulators.testApi(`/_emulator/app-registrations/${other.clientId as string}/expire-secret`, {});
    const expired = await token({ grant_type: 'authorization_code', code: 'nope', redirect_uri: CALLBACK, client_id: other.clientId as string, client_secret: other.clientSecret as string });
    expect(expired).toMatchObject({ status: 401, body: { error: 'invalid_client', error_codes: [7000222] } });
  });

  it('sends a declined consent back as access_denied (AADSTS65004)', async () => {
    const other = (await emulators.testApi('/_emulator/app-registrations', { tenant: 'acme', name: 'Declined', redirectUri: CALLBACK })).body;
    app = { ...app, clientId: other.clientId as string, clientSecret: other.clientSecret as string };
    const callback = await signInAndConsent('cancel');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toMatch(/^AADSTS65004/);
  });
});
