import { configureBitbucketOnLocalRunner, csrfTokenOf, signInThroughApi } from './configure-bitbucket.ts';
import { expect, test, signIn } from './fixtures.ts';

// The API answers lists a page (50) at a time. The dashboard must still show everything: all of
// an org's runners, and the whole audit log on request.
test.describe('Long lists', () => {
  test('Settings › Runners shows runners beyond the first page of 50', async ({ page }) => {
    const admin = await signInThroughApi('admin');
    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) };
    const batch = Date.now().toString(36);
    for (let i = 0; i < 55; i++) {
      const created = await admin.post('/api/runners', { data: { name: `Paged ${batch} ${String(i).padStart(2, '0')}` }, headers: csrf });
      expect(created.status()).toBe(201);
    }
    const firstPage = await (await admin.get('/api/runners')).json();
    expect(firstPage.nextCursor).not.toBeNull();

    await signIn(page, 'admin');
    await page.goto('/settings/runners');
    // The newest runners sort last, on the API's second page.
    await expect(page.getByRole('row', { name: new RegExp(`Paged ${batch} 54`) })).toBeVisible();
    await expect(page.getByRole('row', { name: new RegExp(`Paged ${batch} \\d\\d`) })).toHaveCount(55);
    await admin.dispose();
  });

  test("a runner's audit log loads older entries on request", async ({ page }) => {
    const { runnerId } = await configureBitbucketOnLocalRunner();
    const admin = await signInThroughApi('admin');
    const csrf = { 'x-csrf-token': await csrfTokenOf({ kind: 'api', api: admin }) };
    const [integration] = (await (await admin.get(`/api/runners/${runnerId}/integrations`)).json()).integrations;
    // 56 edits, personal access tokens on and off again, ending where it started: 56 audit entries,
    // more than a page. (A new client ID would be checked with Bitbucket first, and a made-up one
    // refused; OAuth off alone would leave developers no way to connect, which is refused too.)
    for (let i = 0; i < 56; i++) {
      const edited = await admin.patch(`/api/runners/${runnerId}/integrations/${integration.id}`, { data: { patEnabled: i % 2 === 0 }, headers: csrf });
      expect(edited.status(), await edited.text()).toBe(200);
    }
    await admin.dispose();

    await signIn(page, 'admin');
    await page.goto(`/settings/runners/${runnerId}`);
    const log = page.getByRole('table', { name: 'Audit log' });
    await expect(log.getByRole('row')).toHaveCount(11); // header + the latest 10
    await page.getByRole('button', { name: /Show all 50\+ entries/ }).click();
    await expect(log.getByRole('row')).toHaveCount(51);
    await page.getByRole('button', { name: 'Load older entries' }).click();
    await expect(log.getByRole('row')).not.toHaveCount(51);
    // The first entries of this runner are the oldest: "Local runner" was set up at the start.
    await expect(log.getByRole('row').last()).toContainText(/Runner Console|admin@acme.test/);
    const rows = await log.getByRole('row').count();
    expect(rows).toBeGreaterThan(57);
  });
});
