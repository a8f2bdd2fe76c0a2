import { startOidcTestProvider, type OidcTestProvider } from '../test-support/oidc-test-provider.ts';
import { expect, test, signIn, urls } from './fixtures.ts';

/**
 * An admin sets up single sign-on against panva's oidc-provider (a real OpenID Connect provider,
 * started here on a loopback port); a new person from an allowed domain signs in and is a member;
 * someone from another domain is refused with a clear message.
 */
let idp: OidcTestProvider;
test.beforeAll(async () => {
  idp = await startOidcTestProvider(`${urls.dashboard}/api/auth/sso/callback`, {
    sam: { email: 'sam@acme.test', email_verified: true, name: 'Sam Rivera' },
    eve: { email: 'eve@elsewhere.test', email_verified: true, name: 'Eve' },
    ines: { email: 'ines@partner.test', email_verified: true, name: 'Ines Invited' },
  });
});
test.afterAll(() => idp.close());

test('an admin sets up single sign-on and a new colleague signs in through it', async ({ page, browser }) => {
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Single sign-on' }).click();
  await expect(page.getByRole('heading', { name: 'Single sign-on', level: 1 })).toBeVisible();
  await expect(page.getByLabel('Redirect URI')).toHaveValue(`${urls.dashboard}/api/auth/sso/callback`);
  await expect(page.getByRole('button', { name: 'Copy' }).first()).toBeVisible();

  await page.getByLabel('Provider name').fill('Acme login');
  await page.getByLabel('Issuer URL').fill('http://127.0.0.1:1');
  await page.getByLabel('Client ID').fill(idp.clientId);
  await page.getByLabel('Client secret', { exact: true }).fill(idp.clientSecret);
  await page.getByLabel('Allowed e-mail domains').fill('acme.test');
  await page.getByRole('button', { name: 'Save and turn on' }).click();
  // A wrong issuer is caught on save, next to its field.
  await expect(page.getByText(/Nothing answers at http:\/\/127\.0\.0\.1:1\/\.well-known\/openid-configuration|Could not connect to/)).toBeVisible();
  await page.getByLabel('Issuer URL').fill(idp.issuer);
  await page.getByRole('button', { name: 'Save and turn on' }).click();
  await expect(page.getByText('Single sign-on saved', { exact: true })).toBeVisible();
  await expect(page.getByText('On: the sign-in page offers “Sign in with Acme login”.')).toBeVisible();
  await expect(page.getByText('A secret is saved (it is never shown). Leave this empty to keep it.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('single-sign-on-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: test.info().outputPath('single-sign-on-390.png'), fullPage: true });

  // A new colleague, in their own browser, from an allowed domain: a member at once.
  const samContext = await browser.newContext();
  const sam = await samContext.newPage();
  await sam.goto(`${urls.dashboard}/sign-in`);
  await sam.getByRole('link', { name: 'Sign in with Acme login' }).click();
  await sam.getByPlaceholder('Enter any login').fill('sam');
  await sam.getByPlaceholder('and password').fill('any password');
  await sam.getByRole('button', { name: 'Sign-in' }).click();
  await sam.getByRole('button', { name: 'Continue' }).click();
  await expect(sam.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(sam.getByText('sam@acme.test')).toBeVisible();
  // Members start on New environment, and have no admin settings.
  await expect(sam).toHaveURL(/\/environments\/new$/);
  await expect(sam.getByRole('link', { name: 'Single sign-on' })).toHaveCount(0);
  await samContext.close();

  // Someone from another domain is refused, and told why.
  const eveContext = await browser.newContext();
  const eve = await eveContext.newPage();
  await eve.goto(`${urls.dashboard}/sign-in`);
  await eve.getByRole('link', { name: 'Sign in with Acme login' }).click();
  await eve.getByPlaceholder('Enter any login').fill('eve');
  await eve.getByPlaceholder('and password').fill('any password');
  await eve.getByRole('button', { name: 'Sign-in' }).click();
  await eve.getByRole('button', { name: 'Continue' }).click();
  await expect(eve).toHaveURL(/\/sign-in\?sso_error=domain_not_allowed$/);
  await expect(eve.getByRole('alert')).toHaveText('Your e-mail domain is not allowed to sign in to this organization. Ask an admin to invite you or to add your domain.');
  await eve.screenshot({ path: test.info().outputPath('sign-in-refused-1280.png'), fullPage: true });
  await eveContext.close();

  // Someone from another domain with an invitation: the invitation page offers "Join with Acme
  // login", and signing in there as the invited address makes them a member.
  await page.goto('/settings/members');
  await page.getByRole('button', { name: 'Invite a member' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite a member' });
  await invite.getByLabel('Email').fill('ines@partner.test');
  await invite.getByLabel('Role').selectOption('member');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const invitationUrl = await page.getByRole('dialog', { name: 'Send this invitation link' }).getByLabel('Invitation link').inputValue();
  await page.getByRole('button', { name: 'Done' }).click();
  const inesContext = await browser.newContext();
  const ines = await inesContext.newPage();
  await ines.goto(invitationUrl);
  const joinWithSso = ines.getByRole('button', { name: 'Join with Acme login' });
  await expect(joinWithSso).toBeVisible();
  await expect(ines.getByText('or with a name and password')).toBeVisible();
  await ines.screenshot({ path: test.info().outputPath('join-with-sso-1280.png'), fullPage: true });
  await ines.setViewportSize({ width: 390, height: 844 });
  await ines.screenshot({ path: test.info().outputPath('join-with-sso-390.png'), fullPage: true });
  await joinWithSso.click();
  await ines.getByPlaceholder('Enter any login').fill('ines');
  await ines.getByPlaceholder('and password').fill('any password');
  await ines.getByRole('button', { name: 'Sign-in' }).click();
  await ines.getByRole('button', { name: 'Continue' }).click();
  await expect(ines.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(ines.getByText('ines@partner.test')).toBeVisible();
  await inesContext.close();

  // Back to how the other specs expect the sign-in page: single sign-on off.
  await page.goto('/settings/single-sign-on');
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByRole('button', { name: 'Turn off single sign-on' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Turn off' }).click();
  await expect(page.getByText('Single sign-on is off', { exact: true })).toBeVisible();
});
