import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { type TestApiClient } from './api-client.ts';
import { connectFakeRunner } from './fake-runner.ts';
import { openEvents } from './wait-for.ts';
import { insertStartedFlow } from './started-flow.ts';

// The runner's report of a Connect result (link method completeFlow): it reaches the user's
// dashboard at once, is applied once, and only the runner that redeemed the flow may send it.
let bff: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;

beforeAll(async () => {
  ({ bff, admin, dev } = await startSignedInBff());
});
afterAll(async () => {
  await bff?.close();
});

async function newRunner(name: string) {
  const created = await admin.request('POST', '/api/runners', { name: `${name} ${Date.now()}` });
  expect(created.status).toBe(201);
  const runner = await connectFakeRunner(bff.url, created.body.runnerToken as string);
  return { id: created.body.runner.id as string, link: runner };
}

const result = (flowId: string, message: string) => ({ flowId, status: 'connected', failureCode: null, message, accountName: 'Alice' });
const flowRow = (flowId: string) => bff.db.selectFrom('oauth_flows').selectAll().where('id', '=', flowId).executeTakeFirstOrThrow();
const resultEvents = (text: string, flowId: string) => text.split('\n\n').filter((e) => e.startsWith('event: connect.result') && e.includes(flowId));

describe('the Connect result a runner reports', () => {
  it('reaches the dashboard once and is stored; two reports sent together and a replay are refused', async () => {
    const runner = await newRunner('result once');
    const events = await openEvents(bff.url, dev);
    try {
      const { flowId, redeemSecret } = await insertStartedFlow(bff.db, 'dev@acme.test', runner.id);
      await runner.link.request('redeemFlow', { flowId, redeemSecret });

      const [first, second] = await Promise.allSettled([
        runner.link.request('completeFlow', result(flowId, 'Bitbucket is now connected as Alice.')),
        runner.link.request('completeFlow', result(flowId, 'A second, different report.')),
      ]);
      expect([first.status, second.status].sort()).toEqual(['fulfilled', 'rejected']);
      const refused = (first.status === 'rejected' ? first : second) as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'flow_invalid', message: 'This flow is already finished.' });
      const applied = first.status === 'fulfilled' ? 'Bitbucket is now connected as Alice.' : 'A second, different report.';

      const seen = resultEvents(await events.next(flowId), flowId);
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain(applied);
      // No second event follows, and the stored row says what the event said.
      expect(resultEvents(await events.drain(300), flowId)).toEqual([]);
      expect(await flowRow(flowId)).toMatchObject({ status: 'connected', message: applied, account_name: 'Alice' });

      await expect(runner.link.request('completeFlow', result(flowId, 'Replayed.'))).rejects.toMatchObject({ code: 'flow_invalid' });
      expect((await flowRow(flowId)).message).toBe(applied);
      expect(resultEvents(await events.drain(300), flowId)).toEqual([]);
    } finally {
      await events.close();
      runner.link.close();
    }
  });

  it("is refused from another runner than the one that redeemed the flow, and nobody hears of it", async () => {
    const owner = await newRunner('result owner');
    const other = await newRunner('result other');
    const events = await openEvents(bff.url, dev);
    try {
      const { flowId, redeemSecret } = await insertStartedFlow(bff.db, 'dev@acme.test', owner.id);
      await owner.link.request('redeemFlow', { flowId, redeemSecret });
      await expect(other.link.request('completeFlow', result(flowId, 'Connected by someone else.'))).rejects.toMatchObject({
        code: 'flow_invalid',
        message: 'Unknown flow.',
      });
      expect(resultEvents(await events.drain(300), flowId)).toEqual([]);
      expect((await flowRow(flowId)).status).toBe('redeemed');
      // The owner's own report still goes through.
      await owner.link.request('completeFlow', result(flowId, 'Bitbucket is now connected as Alice.'));
      expect(resultEvents(await events.next(flowId), flowId)).toHaveLength(1);
    } finally {
      await events.close();
      owner.link.close();
      other.link.close();
    }
  });

  it('is refused for a flow that was never redeemed', async () => {
    const runner = await newRunner('result unredeemed');
    try {
      const { flowId } = await insertStartedFlow(bff.db, 'dev@acme.test', runner.id);
      await expect(runner.link.request('completeFlow', result(flowId, 'Too early.'))).rejects.toMatchObject({ code: 'flow_invalid' });
      expect((await flowRow(flowId)).status).toBe('started');
    } finally {
      runner.link.close();
    }
  });
});
