import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { signIn } from './connect-latency.ts';
import type { BenchStack } from './stack.ts';
import { lighthouseRow } from './lighthouse-row.ts';
import { kb, ms, percentile, ratio, type BenchRow } from './stats.ts';

const JS_BUDGET = 150 * 1024;

export interface PageSpec {
  name: string;
  path: string;
}

/**
 * Sum the gzip size of every JS and CSS file from dist/assets that loading the page requests, with
 * the browser's cache off: the assets are cacheable for a year, and a first visit has none of them.
 */
async function assetWeight(context: BrowserContext, url: string) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const bodies: Promise<{ url: string; gzip: number }>[] = [];
  page.on('response', (res) => {
    const u = new URL(res.url());
    if (u.pathname.startsWith('/assets/') && /\.(js|css)$/.test(u.pathname)) {
      bodies.push(res.body().then((b) => ({ url: u.pathname, gzip: gzipSync(b, { level: 9 }).length })));
    }
  });
  // Not 'networkidle': the dashboard keeps its server-event stream open. The page is loaded once its
  // heading is there and no request has started for a second.
  await page.goto(url, { waitUntil: 'load' });
  await page.getByRole('heading').first().waitFor();
  await quietFor(page, 1_000);
  const files = await Promise.all(bodies);
  await page.close();
  const js = files.filter((f) => f.url.endsWith('.js')).reduce((s, f) => s + f.gzip, 0);
  const css = files.filter((f) => f.url.endsWith('.css')).reduce((s, f) => s + f.gzip, 0);
  return { js, css, files: files.length };
}

export async function benchPageWeight(stack: BenchStack, browser: Browser, pages: PageSpec[]): Promise<{ rows: BenchRow[]; cookie: string }> {
  const context = await browser.newContext({ baseURL: stack.dashboard });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await signIn(page, 'admin@acme.test', 'admin');
  await page.close();
  const rows: BenchRow[] = [];
  for (const spec of pages) {
    const w = await assetWeight(context, `${stack.dashboard}${spec.path}`);
    rows.push({
      benchmark: `5. ${spec.name}: gzip JS on first load (+ ${kb(w.css)} CSS; ${w.files} files)`,
      figure: kb(w.js),
      baseline: '–',
      ratio: `${((w.js / JS_BUDGET) * 100).toFixed(0)}% of budget`,
      budget: '≤ 150 KB JS',
      pass: w.js <= JS_BUDGET,
    });
  }
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  await context.close();
  return { rows, cookie };
}

/** Lighthouse (desktop preset, simulated throttling) driving Debian's Chromium through chrome-launcher. */
export async function benchLighthouse(stack: BenchStack, chromePath: string, flags: string[], cookie: string, pages: PageSpec[]): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const spec of pages) {
    // A fresh browser per page: Lighthouse resets storage after a run.
    const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: [...flags, '--headless=new'] });
    try {
      const result = await lighthouse(
        `${stack.dashboard}${spec.path}`,
        { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance'], extraHeaders: { Cookie: cookie } },
        desktopConfig,
      );
      rows.push(lighthouseRow(spec, result?.lhr));
    } finally {
      chrome.kill();
    }
  }
  return rows;
}

declare global {
  interface Window {
    __benchModal?: { clickAt: number; readyAt: number };
  }
}

/**
 * Click "Add a new provider" on a freshly loaded runner page, then wait for the dialog's first
 * focusable field to be rendered and the next frame to run. Timed in the page with performance.now():
 * from the click event's timeStamp to that frame. Baseline: from a click on the page's background to
 * the next frame (the floor for any response to a click).
 */
export async function benchModal(stack: BenchStack, browser: Browser, runnerPath: string, rounds: number): Promise<BenchRow[]> {
  const context = await browser.newContext({ baseURL: stack.dashboard });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await signIn(page, 'admin@acme.test', 'admin');
  const samples: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < rounds; i++) {
    await page.goto(runnerPath, { waitUntil: 'load' });
    const button = page.getByRole('button', { name: 'Add a new provider' });
    await button.waitFor({ timeout: 15_000 });
    await quietFor(page, 500);
    baselines.push(await clickToFrame(page));
    await installModalProbe(page);
    await button.click();
    await page.waitForFunction(() => (window.__benchModal?.readyAt ?? 0) > 0, null, { timeout: 10_000, polling: 50 });
    const t = await page.evaluate(() => window.__benchModal!);
    samples.push(t.readyAt - t.clickAt);
  }
  await context.close();
  const p95 = percentile(samples, 95);
  const base = percentile(baselines, 95);
  return [
    {
      benchmark: `5. "Add a new provider" modal interactive, p95 (n=${samples.length}; p50 ${ms(percentile(samples, 50))})`,
      figure: ms(p95),
      baseline: `${ms(base)} (click to next frame, p95)`,
      ratio: ratio(p95, base),
      budget: '< 100 ms',
      pass: p95 < 100,
    },
  ];
}

/** Resolve once no request has started on the page for `ms`. */
async function quietFor(page: Page, ms: number) {
  let last = Date.now();
  const onRequest = () => (last = Date.now());
  page.on('request', onRequest);
  while (Date.now() - last < ms) await page.waitForTimeout(100);
  page.off('request', onRequest);
}

// A string, not a function: page.evaluate of a compiled function would carry tsx's __name helper.
const modalProbeScript = `(() => {
  const probe = { clickAt: 0, readyAt: 0 };
  window.__benchModal = probe;
  document.addEventListener('click', (e) => { probe.clickAt = e.timeStamp; }, { capture: true, once: true });
  function ready() {
    const dialog = document.querySelector('dialog[open], [role="dialog"]');
    const field = dialog && dialog.querySelector('input:not([type="hidden"]), select, textarea, button, [tabindex]:not([tabindex="-1"])');
    return !!field && field.getClientRects().length > 0;
  }
  new MutationObserver(function (_m, observer) {
    if (!ready()) return;
    observer.disconnect();
    requestAnimationFrame(function () { probe.readyAt = performance.now(); });
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
})()`;

async function installModalProbe(page: Page) {
  await page.evaluate(modalProbeScript);
}

async function clickToFrame(page: Page): Promise<number> {
  await page.evaluate(() => {
    (window as unknown as { __benchFrame: Promise<number> }).__benchFrame = new Promise<number>((resolve) => {
      document.addEventListener('click', (e) => requestAnimationFrame(() => resolve(performance.now() - e.timeStamp)), { capture: true, once: true });
    });
  });
  await page.mouse.click(2, 2);
  return page.evaluate(() => (window as unknown as { __benchFrame: Promise<number> }).__benchFrame);
}
