// A second `npm start` finds the admin's app registration and the developers' tokens where the
// first left them: the state file holds them (token values as hashes) and the signing key.
import { expect, it } from 'vitest';
import { startEmulators } from './harness.ts';

it('keeps app registrations, personal access tokens and the signing key across a restart', async () => {
  const first = await startEmulators();
  const app = (await first.testApi('/_emulator/app-registrations', { tenant: 'acme', name: 'Runner Console', redirectUri: 'http://127.0.0.1:7999/oauth/callback' })).body;
  const { token } = (await first.testApi('/_emulator/personal-access-tokens', { username: 'alice', organization: 'acme', scopes: ['vso.code_write'], expiresAt: '2099-01-01' })).body;
  const jwks = await (await fetch(`${first.entraUrl}/acme/discovery/v2.0/keys`)).json();
  await first.close({ keepData: true });

  const second = await startEmulators(first.dataDir);
  try {
    const profile = await fetch(`${second.devopsUrl}/_apis/profile/profiles/me?api-version=7.1`, { headers: { authorization: `Basic ${Buffer.from(`:${token as string}`).toString('base64')}` } });
    expect(profile.status).toBe(200);
    // The registration is known: a code that does not exist is the answer, not an unknown client.
    const exchange = await fetch(`${second.entraUrl}/acme/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'none', client_id: app.clientId as string, client_secret: app.clientSecret as string, redirect_uri: 'http://127.0.0.1:7999/oauth/callback' }),
    });
    expect(await exchange.json()).toMatchObject({ error: 'invalid_grant' });
    expect(await (await fetch(`${second.entraUrl}/acme/discovery/v2.0/keys`)).json()).toEqual(jwks);
  } finally {
    await second.close();
  }
});
