import { test as base, expect, type Page } from '@playwright/test';
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

// ---- The layout guard, applied to every spec (import `test` and `expect` from this file) ----

/** What the guard looks for, run in each page: sideways page scroll, and dialogs drawing outside themselves. */
function findLayoutProblems(): string[] {
  const problems: string[] = [];
  const root = document.documentElement;
  const width = root.clientWidth;
  const where = `${location.pathname} at ${window.innerWidth}px`;
  if (root.scrollWidth > width + 1) {
    const wide = [...document.body.querySelectorAll<HTMLElement>('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('dialog'))
      .slice(0, 3)
      .map(describe);
    problems.push(`${where}: the page scrolls sideways (${root.scrollWidth}px wide): ${wide.join(', ')}`);
  }
  for (const dialog of document.querySelectorAll<HTMLDialogElement>('dialog[open]')) {
    const box = dialog.getBoundingClientRect();
    const name = dialog.querySelector('h2')?.textContent ?? 'a dialog';
    if (box.left < -1 || box.right > window.innerWidth + 1 || box.top < -1) {
      problems.push(`${where}: "${name}" is partly off screen (${Math.round(box.left)}..${Math.round(box.right)}, top ${Math.round(box.top)})`);
    }
    for (const el of dialog.querySelectorAll<HTMLElement>('*')) {
      const rect = el.getBoundingClientRect();
      // Hidden text for screen readers is 1px and clipped; closed parts have no box.
      if (rect.width <= 1 || rect.height <= 1) continue;
      // Inside a box that clips or scrolls on purpose (an input, a code block): that box is checked instead.
      if (clippedInside(el, dialog)) continue;
      const spill = el.clientWidth > 0 && getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth - el.clientWidth : 0;
      if (rect.left < box.left - 1 || rect.right + spill > box.right + 1) {
        problems.push(`${where}: in "${name}", ${describe(el)} reaches outside the dialog (${Math.round(rect.left)}..${Math.round(rect.right + spill)} in ${Math.round(box.left)}..${Math.round(box.right)})`);
        break;
      }
    }
    const body = dialog.querySelector<HTMLElement>('.dialog__body');
    if (body && body.scrollWidth > body.clientWidth + 1) problems.push(`${where}: "${name}" scrolls sideways (${body.scrollWidth}px in ${body.clientWidth}px)`);
  }
  return problems;

  function clippedInside(el: HTMLElement, dialog: HTMLElement): boolean {
    for (let up = el.parentElement; up && up !== dialog; up = up.parentElement) {
      if (up.classList.contains('dialog__body')) continue;
      if (getComputedStyle(up).overflowX !== 'visible') return true;
    }
    return false;
  }
  function describe(el: Element): string {
    const text = (el.textContent ?? '').trim().slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? ` class="${el.className}"` : ''}>${text ? ` "${text}"` : ''}`;
  }
}

/** In every page: check whenever the DOM or the size changes (debounced), and report to the test. */
function watchLayout(check: () => string[]): void {
  // Looked up when needed: the binding may be installed after this script.
  const report = (found: string[]) => (window as unknown as { __reportLayoutProblems?: (p: string[]) => void }).__reportLayoutProblems?.(found);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const problems = check();
      if (problems.length) report(problems);
    }, 250);
  };
  const start = () => {
    new MutationObserver(schedule).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['open', 'class', 'hidden'] });
    window.addEventListener('resize', schedule);
    schedule();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

/** Sizes every page is checked at when a test ends: the test's own, and a phone's. */
const PHONE = { width: 390, height: 844 };

export const test = base.extend<{ layoutGuard: void }>({
  layoutGuard: [
    async ({ context }, use) => {
      const problems = new Set<string>();
      await context.exposeFunction('__reportLayoutProblems', (found: string[]) => {
        for (const problem of found) problems.add(problem);
      });
      // As script source, not eval: the pages' CSP forbids eval.
      await context.addInitScript({ content: `(${watchLayout.toString()})(${findLayoutProblems.toString()});` });
      await use();
      // At the end, every page that is still open is also looked at on a phone's width.
      for (const page of context.pages()) {
        if (page.isClosed() || !/^https?:/.test(page.url())) continue;
        const size = page.viewportSize();
        try {
          for (const viewport of size && size.width !== PHONE.width ? [PHONE, size] : [size ?? PHONE]) {
            await page.setViewportSize(viewport);
            await page.waitForTimeout(300);
            for (const problem of await page.evaluate(findLayoutProblems)) problems.add(problem);
          }
        } catch (error) {
          // A page that closed or navigated away meanwhile has nothing left to check.
          if (!page.isClosed()) throw error;
        }
      }
      expect([...problems], 'nothing scrolls sideways, and nothing draws outside an open dialog').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
