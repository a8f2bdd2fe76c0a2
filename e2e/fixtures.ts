import { test as base, expect, type Page } from '@playwright/test';
import { e2eDataDir, e2ePorts } from '../playwright.config.ts';

export const urls = {
  dashboard: `http://localhost:${e2ePorts.bff}`,
  runner: `http://localhost:${e2ePorts.runner}`,
  bitbucket: `http://localhost:${e2ePorts.bitbucket}`,
  github: `http://localhost:${e2ePorts.github}`,
  gitlab: `http://localhost:${e2ePorts.gitlab}`,
  bitbucketDc: `http://localhost:${e2ePorts.bitbucketDc}`,
  azureDevops: `http://localhost:${e2ePorts.azureDevops}`,
  entra: `http://localhost:${e2ePorts.entra}`,
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

/**
 * What the guard looks for, run in each page: sideways page scroll, dialogs drawing outside
 * themselves, tables wider than their box (a table must fit, or become cards on a phone), and
 * buttons or links in `main` cut off by a box that clips or scrolls.
 */
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
  const main = document.querySelector('main');
  if (main) {
    for (const table of main.querySelectorAll('table')) {
      const box = table.getBoundingClientRect();
      if (box.width <= 1) continue;
      const container = scrollerOf(table, main) ?? table.parentElement;
      if (container && box.width > container.clientWidth + 1) {
        problems.push(`${where}: the table "${nameOf(table)}" needs sideways scrolling (${Math.round(box.width)}px in ${container.clientWidth}px)`);
      }
    }
    for (const control of main.querySelectorAll<HTMLElement>('a[href], button, [role="button"]')) {
      const rect = control.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue;
      const cut = cutBy(control, rect, main);
      if (cut) problems.push(`${where}: ${describe(control)} is cut off by ${describe(cut)} (${Math.round(rect.left)}..${Math.round(rect.right)} in ${Math.round(cut.getBoundingClientRect().left)}..${Math.round(cut.getBoundingClientRect().right)})`);
    }
  }
  return problems;

  /** The nearest box between `el` and `stop` that clips or scrolls sideways. */
  function scrollerOf(el: Element, stop: Element): HTMLElement | null {
    for (let up = el.parentElement; up && up !== stop; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') return up;
    }
    return null;
  }
  /**
   * The box that hides part of `control`: any that clips or scrolls sideways, or clips (not
   * scrolls) up and down. A list that scrolls up and down on purpose is not a cut.
   */
  function cutBy(control: HTMLElement, rect: DOMRect, stop: Element): HTMLElement | null {
    for (let up = control.parentElement; up && up !== stop; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const box = up.getBoundingClientRect();
      const left = box.left + up.clientLeft;
      const top = box.top + up.clientTop;
      if (style.overflowX !== 'visible' && (rect.left < left - 1 || rect.right > left + up.clientWidth + 1)) return up;
      const clipsY = style.overflowY === 'hidden' || style.overflowY === 'clip';
      if (clipsY && (rect.top < top - 1 || rect.bottom > top + up.clientHeight + 1)) return up;
    }
    return null;
  }
  function nameOf(table: HTMLTableElement): string {
    const labelledBy = table.getAttribute('aria-labelledby');
    const label = labelledBy ? document.getElementById(labelledBy)?.textContent : table.getAttribute('aria-label') ?? table.caption?.textContent;
    return (label ?? 'a table').trim();
  }

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
            // The layout is CSS alone (no script reads the width): two frames after the resize the
            // page is laid out at the new size.
            await page.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));
            for (const problem of await page.evaluate(findLayoutProblems)) problems.add(problem);
          }
        } catch (error) {
          // A page that closed or navigated away meanwhile has nothing left to check.
          if (!page.isClosed()) throw error;
        }
      }
      expect([...problems], 'nothing scrolls sideways, nothing draws outside an open dialog, no table needs sideways scrolling, no button or link in main is cut off').toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };
