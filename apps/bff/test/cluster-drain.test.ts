import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCloseCodes } from '@runner-console/contracts';
import { startTestBff, type TestBff } from './test-bff.ts';
import { signedIn, type TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { createPostgresDatabase } from '../../../test-support/postgres-database.ts';

// An instance draining (SIGTERM) while another serves requests for a runner linked to it
// (PostgreSQL project only): the runner is told to reconnect, and a request arriving on the other
// instance meanwhile waits for the runner to be linked again instead of answering "offline".
let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
let a: TestBff, b: TestBff;
let admin: TestApiClient;

beforeAll(async () => {
  database = await createPostgresDatabase();
  [a, b] = (await Promise.all([1, 2].map(() => startTestBff({ DATABASE_URL: database.url, DRAIN_DELAY_MS: '100' })))) as [TestBff, TestBff];
  admin = await signedIn(b.url, 'admin');
});
afterAll(async () => {
  await Promise.all([a, b].map((x) => x?.close()));
  await database?.drop();
});

describe('a runner link moving off a draining instance', () => {
  it('holds a request made on another instance until the runner is linked again, then answers it', async () => {
    const created = await admin.request('POST', '/api/runners', { name: `Moving ${Date.now()}` });
    expect(created.status).toBe(201);
    const token = created.body.runnerToken as string;
    const runnerId = created.body.runner.id as string;
    const first = await connectFakeRunner(a.url, token, { ping: () => ({ version: 'on-a' }) });
    // b knows the link is on a.
    await expect.poll(async () => (await admin.request('POST', `/api/runners/${runnerId}/ping`)).status, { timeout: 5_000 }).toBe(200);

    const drained = a.drain();
    expect(await first.closed).toEqual({ code: linkCloseCodes.reconnect, reason: 'BFF instance draining: reconnect' });
    // Asked while the runner is between instances; it comes back (to b) 500 ms later.
    const asked = admin.request('POST', `/api/runners/${runnerId}/ping`);
    await new Promise((r) => setTimeout(r, 500));
    const second = await connectFakeRunner(b.url, token, { ping: () => ({ version: 'on-b' }) });
    try {
      const answer = await asked;
      expect(answer.status).toBe(200);
      expect(answer.body.runnerVersion).toBe('on-b');
    } finally {
      second.close();
      await drained;
    }
  });
});
