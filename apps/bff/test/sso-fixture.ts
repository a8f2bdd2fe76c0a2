import { startSignedInBff } from './signed-in-bff.ts';
import { TestApiClient } from './api-client.ts';
import { signInAtProvider, startOidcTestProvider } from '../../../test-support/oidc-test-provider.ts';

/** A test BFF and panva's oidc-provider as the identity provider, with accounts in two domains. */
export async function startSsoBff() {
  const { bff, admin, dev } = await startSignedInBff();
  const redirectUri = `${bff.url}/api/auth/sso/callback`;
  const idp = await startOidcTestProvider(redirectUri, {
    'new-dev': { email: 'New.Dev@Acme.test', email_verified: true, name: 'New Dev' },
    'outsider': { email: 'eve@elsewhere.test', email_verified: true, name: 'Eve' },
    'unverified': { email: 'unverified@acme.test', email_verified: false, name: 'Not Verified' },
  });
  const orgId = (await admin.request('GET', '/api/auth/session')).body.user.orgId as string;
  const settings = { displayName: 'Acme login', issuerUrl: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, allowedDomains: ['acme.test'], requireSso: false };

  /** A fresh browser that starts single sign-on, signs in at the provider as `login`, and comes back. */
  async function signInWithSso(login: string, browser = new TestApiClient(bff.url)) {
    const started = await browser.request('GET', `/api/auth/sso/start?org=${orgId}`);
    const authorizeUrl = started.headers.get('location') ?? '';
    const callbackUrl = await signInAtProvider(authorizeUrl, login, redirectUri);
    const callbackPath = callbackUrl.slice(bff.url.length);
    const finished = await browser.request('GET', callbackPath);
    return { browser, started, finished, callbackPath, location: finished.headers.get('location') };
  }

  return {
    bff,
    admin,
    dev,
    idp,
    orgId,
    settings,
    redirectUri,
    signInWithSso,
    async close() {
      await idp.close();
      await bff.close();
    },
  };
}
export type SsoFixture = Awaited<ReturnType<typeof startSsoBff>>;
