import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import { freePort } from '../test-support/free-port.ts';
import { expect, test } from './fixtures.ts';

/**
 * A real deployment's first day, on its own stack: `NODE_ENV=production npm start` on a fresh data
 * folder (no seed, no Local runner), the set-up code read from the BFF's log, an invitation that
 * makes a member, and the member's removal ending their open session.
 */
let stack: ChildProcess | undefined;
let base = '';
let dataDir = '';

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  base = `http://localhost:${port}`;
  dataDir = path.resolve(`.data/e2e-production-${port}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  stack = child;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the production stack did not start:\n${output}`)), 110_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Runner Console is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the production stack exited (${code}):\n${output}`)));
  });
  // The banner says what to do next, and that there is no Local runner.
  expect(output).toMatch(/no development seed, no Local runner/);
  expect(output).toContain(`${base}/setup`);
});

test.afterAll(async () => {
  const child = stack;
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The code from the BFF's log: the line holding "set-up code". */
function setupCodeFromLog(): string {
  const log = fs.readFileSync(path.join(dataDir, 'logs', 'bff.log'), 'utf8');
  const line = log.split('\n').find((l) => l.includes('set-up code'));
  const code = line ? /set-up code: ([A-Z0-9-]+)/.exec(line)?.[1] : undefined;
  if (!code) throw new Error('no set-up code in the BFF log');
  return code;
}

/** Screenshots to look at (in the test's output folder), at a laptop's width and a phone's. */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`), fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('a fresh production deployment: set-up code, an invited member, and their removal', async ({ page, browser }, testInfo) => {
  test.setTimeout(90_000);
  const admin = { email: 'ops@initech.test', password: 'four unrelated words here' };

  await test.step('the dashboard opens on set-up; the code from the log sets up the organization', async () => {
    await page.goto(`${base}/`);
    await expect(page).toHaveURL(`${base}/setup`);
    await expect(page.getByRole('heading', { name: 'Set up Runner Console' })).toBeVisible();
    await screenshots(page, testInfo, 'setup');
    await page.getByLabel('Organization name').fill('Initech');
    await page.getByLabel('Your name').fill('Olivia Ops');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password', { exact: true }).fill(admin.password);
    await page.getByLabel('Set-up code').fill('AAAA-BBBB-CCCC-DDDD');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByText(/That set-up code is not right/)).toBeVisible();
    await page.getByLabel('Set-up code').fill(setupCodeFromLog());
    await page.getByRole('button', { name: 'Create organization' }).click();
    await expect(page.getByRole('heading', { name: 'Members' })).toBeVisible();
    await expect(page.getByRole('row', { name: /Olivia Ops \(you\)/ })).toContainText('Admin');
    // Set-up is gone, here and for anyone else.
    expect((await page.request.get(`${base}/api/setup`)).status()).toBe(404);
    expect((await page.request.get(`${base}/setup`)).status()).toBe(404);
  });

  let invitationUrl = '';
  await test.step('an invitation link, copied from its dialog', async () => {
    await page.getByRole('button', { name: 'Invite a member' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a member' });
    await dialog.getByLabel('Email').fill('milton@initech.test');
    await dialog.getByLabel('Role').selectOption('member');
    await screenshots(page, testInfo, 'invite-dialog');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = page.getByRole('dialog', { name: 'Send this invitation link' }).getByLabel('Invitation link');
    await expect(link).toHaveValue(new RegExp(`^${base}/join#rci_`));
    invitationUrl = await link.inputValue();
    await screenshots(page, testInfo, 'invitation-link');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('row', { name: /milton@initech.test/ })).toContainText('Member');
  });

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await test.step('the link makes a member who is signed in; the same link fails a second time', async () => {
    await member.goto(invitationUrl);
    await expect(member.getByRole('heading', { name: 'Join Initech' })).toBeVisible();
    await member.getByLabel('Your name').fill('Milton Waddams');
    await member.getByLabel('Password', { exact: true }).fill('my red stapler please');
    await member.getByRole('button', { name: 'Join Initech' }).click();
    await expect(member.getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect((await member.request.get(`${base}/api/environments`)).status()).toBe(200);

    const strangerContext = await browser.newContext();
    const stranger = await strangerContext.newPage();
    await stranger.goto(invitationUrl);
    await expect(stranger.getByRole('alert')).toContainText('This invitation does not work any more');
    await strangerContext.close();
  });

  await test.step('the admin removes the member; their open session gets 401 at its next request', async () => {
    await page.reload();
    await expect(page.getByRole('row', { name: /Milton Waddams/ })).toContainText('Password');
    await screenshots(page, testInfo, 'members');
    await page.getByRole('button', { name: 'Remove Milton Waddams' }).click();
    await page.getByRole('button', { name: 'Remove member' }).click();
    await expect(page.getByRole('row', { name: /Milton Waddams/ })).toHaveCount(0);
    expect((await member.request.get(`${base}/api/environments`)).status()).toBe(401);
    await memberContext.close();
  });

  await test.step('the audit log shows what happened', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByRole('row', { name: /removed milton@initech.test/ })).toBeVisible();
    await expect(page.getByRole('row', { name: /set up the organization Initech/ })).toBeVisible();
    await screenshots(page, testInfo, 'audit-log');
  });
});
