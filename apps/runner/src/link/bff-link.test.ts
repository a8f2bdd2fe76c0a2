import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { createRunnerKeyPair } from '@runner-console/envelope';
import { createLogger } from '../logger.ts';
import { createBffLink, stoppedForGoodMessage } from './bff-link.ts';
import { linkCloseCodes } from '@runner-console/contracts';

/** A stand-in BFF: welcomes every hello, then does what the test says with the socket. */
async function fakeBff(onWelcomed: (ws: WebSocket, nth: number) => void) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((r) => wss.once('listening', r));
  let connections = 0;
  wss.on('connection', (ws) => {
    const nth = ++connections;
    ws.once('message', () => {
      ws.send(JSON.stringify({ type: 'welcome', runnerId: 'r1', orgId: 'o1', heartbeatIntervalMs: 1000 }));
      setTimeout(() => onWelcomed(ws, nth), 20);
    });
  });
  return {
    url: `http://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise((r) => wss.close(r)),
  };
}

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startLink(bffUrl: string, onRevoked: (reason: string) => void, opts: { logLines?: string[]; refusedRetryMs?: number; backoffBaseMs?: number } = {}) {
  const { publicJwk } = await createRunnerKeyPair();
  const lines = opts.logLines;
  const link = createBffLink({
    bffUrl,
    token: 'rct_test-token-0123456789abcdef',
    log: lines ? pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) : createLogger('silent'),
    ...(opts.refusedRetryMs ? { refusedRetryMs: opts.refusedRetryMs } : {}),
    ...(opts.backoffBaseMs ? { backoffBaseMs: opts.backoffBaseMs } : {}),
    handlers: {},
    hello: () => ({ type: 'hello', version: 't', region: null, publicUrl: 'http://localhost:1', publicKey: publicJwk }),
    onRevoked,
  });
  link.start();
  stops.push(() => link.stop());
  return link;
}

describe('the runner link when the BFF ends it', () => {
  for (const [code, reason] of [
    [4004, 'runner token revoked: a new token was made in Runner Console'],
    [4003, 'runner deleted in Runner Console'],
  ] as const) {
    it(`stops for good on close code ${code}, and says why`, async () => {
      const bff = await fakeBff((ws) => ws.close(code, reason));
      stops.push(bff.close);
      const revoked: string[] = [];
      await startLink(bff.url, (r) => revoked.push(r));
      await expect.poll(() => revoked).toEqual([reason]);
      await new Promise((r) => setTimeout(r, 800));
      expect(bff.connections()).toBe(1);
    });
  }

  it('reconnects after any other close', async () => {
    const bff = await fakeBff((ws, nth) => {
      if (nth === 1) ws.close(1011, 'restarting');
    });
    stops.push(bff.close);
    const revoked: string[] = [];
    await startLink(bff.url, (r) => revoked.push(r));
    await expect.poll(() => bff.connections(), { timeout: 5000 }).toBe(2);
    expect(revoked).toEqual([]);
  });

  it('reconnects at once, without the backoff, when the BFF instance is draining (4006)', async () => {
    // A backoff of at least 45 s (60 s ± 25 %): a reconnect within the poll's 5 s skipped it. No clock
    // is read, so a slow machine cannot fail this.
    const bff = await fakeBff((ws, nth) => {
      if (nth === 1) ws.close(4006, 'BFF instance draining: reconnect');
    });
    stops.push(bff.close);
    const revoked: string[] = [];
    await startLink(bff.url, (r) => revoked.push(r), { backoffBaseMs: 60_000 });
    await expect.poll(() => bff.connections(), { timeout: 5000 }).toBe(2);
    expect(revoked).toEqual([]);
  });

  it('waits out the backoff after any other close (the control for the test above)', async () => {
    const bff = await fakeBff((ws, nth) => {
      if (nth === 1) ws.close(1011, 'restarting');
    });
    stops.push(bff.close);
    await startLink(bff.url, () => undefined, { backoffBaseMs: 60_000 });
    await expect.poll(() => bff.connections()).toBe(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(bff.connections()).toBe(1);
  });

  it('on a refused key (4005) says why and which key, keeps trying at a modest pace, and never stops for good', async () => {
    const bff = await fakeBff((ws, nth) => {
      if (nth <= 2) ws.close(4005, 'runner key not accepted: an admin must accept the new key on the runner page');
    });
    stops.push(bff.close);
    const revoked: string[] = [];
    const logLines: string[] = [];
    const link = await startLink(bff.url, (r) => revoked.push(r), { logLines, refusedRetryMs: 300 });
    await expect.poll(() => bff.connections(), { timeout: 5000 }).toBe(3);
    await expect.poll(() => link.connected).toBe(true);
    expect(revoked).toEqual([]);
    const refusals = logLines.map((l) => JSON.parse(l) as { msg: string; kid?: string }).filter((l) => l.msg.includes('refused this runner'));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]!.msg).toMatch(/an admin must accept the new key/);
    expect(refusals[0]!.msg).toMatch(/accepts this key \(id \S+\) on the runner's page/);
    expect(refusals[0]!.msg).toMatch(/replace the token/);
    expect(refusals[0]!.kid).toMatch(/\S{10,}/);
  });

  it('waits the refused-key interval, not the quick backoff, before trying again', async () => {
    const bff = await fakeBff((ws) => ws.close(4005, 'runner key not accepted'));
    stops.push(bff.close);
    await startLink(bff.url, () => {}, { refusedRetryMs: 2_000 });
    await expect.poll(() => bff.connections()).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(bff.connections()).toBe(1);
  });
});

describe('stoppedForGoodMessage', () => {
  it('a replaced token points at the command under New token on the runner’s page', () => {
    const message = stoppedForGoodMessage('runner token revoked: a new token was made in Runner Console', linkCloseCodes.tokenRevoked);
    expect(message).toContain('run the command shown under New token on its page');
    expect(message).not.toMatch(/set it up again/i);
  });
  it('a deleted runner is set up again', () => {
    expect(stoppedForGoodMessage('runner deleted in Runner Console', linkCloseCodes.runnerDeleted)).toMatch(/set it up again from Settings › Runners/);
  });
});
