import { expect, type Page } from '@playwright/test';
import { e2eDataDir, e2ePorts } from '../playwright.config.ts';

export const urls = {
  dashboard: `http://localhost:${e2ePorts.bff}`,
  runner: `http://localhost:${e2ePorts.runner}`,
  bitbucket: `http://localhost:${e2ePorts.bitbucket}`,
};

/** The stack's data folder for this run (relative to the repo root): bff/, runner/, logs/ … */
export const dataDir = e2eDataDir;

export const accounts = {
  admin: { email: 'admin@acme.test', password: 'admin' },
  dev: { email: 'dev@acme.test', password: 'dev' },
};

/** Sign in through the real sign-in page. */
export async function signIn(page: Page, who: keyof typeof accounts): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(accounts[who].email);
  await page.getByLabel('Password').fill(accounts[who].password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}
