import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInThrottle } from '../src/store/sign-in-throttle.ts';
import { openTestDatabase } from './test-database.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

const options = { freeFailures: 3, windowMs: 60_000, baseLockMs: 1_000, maxLockMs: 4_000 };

describe('the per-account sign-in throttle', () => {
  it('pauses after the free failures, doubling each time up to the cap', async () => {
    const throttle = createSignInThrottle(database.db, options);
    const email = 'backoff@acme.test';
    for (let i = 0; i < 3; i++) await throttle.recordFailure(email);
    expect(await throttle.pausedFor(email)).toBe(0);
    const pauses = [];
    for (let i = 0; i < 4; i++) {
      await throttle.recordFailure(email);
      pauses.push(await throttle.pausedFor(email));
    }
    // 1 s, 2 s, 4 s, then the 4 s cap (each read a few ms after it was set).
    const rounded = pauses.map((ms) => Math.round(ms / 1_000) * 1_000);
    expect(rounded).toEqual([1_000, 2_000, 4_000, 4_000]);
  });

  it('treats case variants and surrounding spaces as one account, and a success clears it', async () => {
    const throttle = createSignInThrottle(database.db, options);
    for (const email of ['Case@acme.test', ' case@acme.test', 'CASE@ACME.TEST', 'case@acme.test']) await throttle.recordFailure(email);
    expect(await throttle.pausedFor('case@acme.test')).toBeGreaterThan(0);
    expect(await throttle.pausedFor('other@acme.test')).toBe(0);
    await throttle.clear('case@ACME.test');
    expect(await throttle.pausedFor('case@acme.test')).toBe(0);
    await throttle.recordFailure('case@acme.test');
    expect(await throttle.pausedFor('case@acme.test')).toBe(0);
  });

  it('forgets failures older than the window', async () => {
    const throttle = createSignInThrottle(database.db, { ...options, windowMs: 50 });
    for (let i = 0; i < 3; i++) await throttle.recordFailure('slow@acme.test');
    await new Promise((r) => setTimeout(r, 80));
    await throttle.recordFailure('slow@acme.test');
    expect(await throttle.pausedFor('slow@acme.test')).toBe(0);
  });
});
