import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceStack, type ServiceStack } from '../test-support/service-stack.ts';
import type { TestBrowser } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, configureBitbucket, continueToCallback, emulator, signedInBrowser, startUrl, finishConnect } from '../test-support/connect-journey.ts';
import { check, recordSecurityRow } from './support/record-security-row.ts';

/**
 * Item 7: every user-visible operation ends in a clear state under a fault, and a retry succeeds.
 * Each service runs as its own process here, so a test can crash one (kill -9) and start it again.
 */
let stack: ServiceStack;
let admin: TestBrowser;
let runnerId: string;
let integrationId: string;

beforeAll(async () => {
  stack = await startServiceStack();
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  ({ runnerId, integrationId } = await configureBitbucket(stack, admin));
}, 120_000);
afterAll(async () => {
  await emulator(stack, 'DELETE', '/_emulator/faults').catch(() => undefined);
  await stack?.stop();
});

async function validate() {
  return (await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations/${integrationId}/validate`)).body.validation;
}

async function waitForRunner(phase: string) {
  for (let i = 0; i < 300; i++) {
    if ((await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}`)).body?.phase === phase) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`runner never ${phase}`);
}

describe('Bitbucket faults (the emulator’s knobs)', () => {
  it('slow (5 s): validation waits and succeeds', () =>
    check('faults', 'bitbucket slow', async () => {
      await emulator(stack, 'POST', '/_emulator/faults', { endpoint: 'token', latencyMs: 5000 });
      try {
        const started = Date.now();
        expect((await validate()).status).toBe('valid');
        expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
      } finally {
        await emulator(stack, 'DELETE', '/_emulator/faults');
      }
    }));

  it('500s: a clear "unreachable" status, then a retry succeeds', () =>
    check('faults', 'bitbucket 500', async () => {
      await emulator(stack, 'POST', '/_emulator/faults', { endpoint: 'token', failNext: 1 });
      const failed = await validate();
      expect(failed.status).toBe('provider_unreachable');
      expect(failed.message).toMatch(/Try again/);
      expect((await validate()).status).toBe('valid');
    }));

  it('hanging: the runner gives up in time with a clear status, then a retry succeeds', () =>
    check('faults', 'bitbucket hanging', async () => {
      await emulator(stack, 'POST', '/_emulator/faults', { endpoint: 'token', hangNext: 1 });
      const failed = await validate();
      expect(failed.status).toBe('provider_unreachable');
      await emulator(stack, 'DELETE', '/_emulator/faults');
      expect((await validate()).status).toBe('valid');
    }));

  it('unreachable: Connect and validation say Bitbucket cannot be reached, then work again', () =>
    check('faults', 'bitbucket unreachable', async () => {
      await stack.kill('bitbucket-emulator');
      try {
        const failed = await validate();
        expect(failed.status).toBe('provider_unreachable');
        expect(failed.message).toMatch(/could not be reached/);
      } finally {
        await stack.start('bitbucket-emulator');
      }
      expect((await validate()).status).toBe('valid');
    }));
});

describe('process faults', () => {
  it('the runner killed in the middle of Connect, then restarted: a clear failure, and Connect again works', () =>
    check('faults', 'runner killed mid-connect', async () => {
      const dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
      const callback = await authorizeAtBitbucket(stack, dev, runnerId);
      await stack.kill('runner');
      await stack.start('runner');
      await waitForRunner('active');
      const page = await finishConnect(dev, callback);
      expect(page.status).toBe(400);
      expect(page.text).toMatch(/click Connect again/i);
      const retry = await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
      expect(retry.text).toContain('now connected');
    }));

  it('the BFF killed in the middle of Connect, then restarted: the flow survives and completes', () =>
    check('faults', 'bff killed mid-connect', async () => {
      const dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
      const started = await dev.fetch(startUrl(stack, dev, runnerId));
      expect(started.status).toBe(302);
      await stack.kill('bff');
      await stack.start('bff');
      await waitForRunner('active');
      // The flow record was in SQLite: the runner redeems it after the restart.
      const page = await finishConnect(dev, await continueToCallback(stack, dev, started.location!));
      expect(page.text).toContain('now connected');
    }));

  it('the runner offline while an admin saves: a new Key is not saved (it cannot be checked), the working one stays and is valid once it is back', () =>
    check('faults', 'runner offline on save', async () => {
      await stack.kill('runner');
      await waitForRunner('inactive');
      const current = (await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations`)).body.integrations[0].clientId;
      const refused = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${integrationId}`, { clientId: `${current}-new` });
      expect(refused.status).toBe(502);
      expect(refused.body.error).toMatchObject({ code: 'runner_offline', message: expect.stringMatching(/stay in force/) });
      expect((await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations`)).body.integrations[0].clientId).toBe(current);
      // Saving what is already there changes nothing and needs no check.
      const updated = await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${integrationId}`, { clientId: current });
      expect(updated.status).toBe(200);
      expect((await validate()).status).toBe('runner_offline');
      await stack.start('runner');
      await waitForRunner('active');
      expect((await validate()).status).toBe('valid');
    }));
});

describe('durability', () => {
  it('nothing acknowledged is lost when the BFF is killed (-9) during a burst of saves', async () => {
    const acknowledged: string[] = [];
    let attempts = 0;
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const name = `burst ${w}-${i}`;
        attempts++;
        try {
          const res = await admin.api(stack.dashboard, 'POST', '/api/runners', { name });
          if (res.status === 201) acknowledged.push(name);
        } catch {
          return; // the BFF is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 10));
    await stack.kill('bff');
    killed = true;
    await Promise.all(workers);
    await stack.start('bff');
    const after = await signedInBrowser(stack, 'admin@acme.test', 'admin');
    const names = new Set<string>();
    for (let cursor: string | null = null, page = 0; page === 0 || cursor; page++) {
      const res: { body: { runners: { name: string }[]; nextCursor?: string | null } } = await after.api(stack.dashboard, 'GET', `/api/runners?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      for (const r of res.body.runners) names.add(r.name);
      cursor = res.body.nextCursor ?? null;
    }
    const lost = acknowledged.filter((n) => !names.has(n));
    recordSecurityRow('faults', { tried: acknowledged.length, held: acknowledged.length - lost.length, lost: lost.length }, `kill -9 during ${attempts} saves`);
    expect(lost).toEqual([]);
    admin = after;
  });

  it('a full disk: saves fail with a clear message and change nothing; after space is freed, a retry succeeds', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip();
    const mount = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-full-disk-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mount]);
    } catch {
      ctx.skip();
    }
    const small = await startServiceStack({ bffDataDir: mount });
    try {
      await check('faults', 'full disk', async () => {
        const a = await signedInBrowser(small, 'admin@acme.test', 'admin');
        const before = (await a.api(small.dashboard, 'GET', '/api/runners')).body.runners.length;
        const filler = path.join(mount, 'filler');
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k', 'count=100'], { stdio: 'ignore' });
        } catch {
          /* dd stops when the disk is full: that is the point */
        }
        // SQLite may still fit a few rows in pages it already has; keep writing until the disk says no.
        let name = '';
        let res;
        for (let i = 0; i < 200; i++) {
          name = `fill ${i} ${'y'.repeat(70)}`;
          res = await a.api(small.dashboard, 'POST', '/api/runners', { name });
          if (res.status !== 201) break;
        }
        expect(res!.status).toBe(507);
        expect(res!.body.error.message).toMatch(/disk is full/);
        const listed = (await a.api(small.dashboard, 'GET', '/api/runners')).body.runners;
        expect(listed.map((r: { name: string }) => r.name)).not.toContain(name);
        const during = listed.length;
        fs.rmSync(filler);
        const retry = await a.api(small.dashboard, 'POST', '/api/runners', { name: 'after the disk was freed' });
        expect(retry.status).toBe(201);
        expect(during).toBeGreaterThanOrEqual(before);
      });
    } finally {
      await small.stop();
      execFileSync('umount', [mount]);
      fs.rmSync(mount, { recursive: true, force: true });
    }
  });
});
