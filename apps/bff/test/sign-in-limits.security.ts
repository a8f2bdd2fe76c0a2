import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (row 10): the sign-in limit cannot be side-stepped. The review
 * reset the per-client count from loopback with a made-up X-Forwarded-For (the BFF trusted any
 * loopback peer as a proxy), and a per-client limit alone does nothing against many clients.
 */
let t: TestBff;
beforeAll(async () => {
  t = await startTestBff();
});
afterAll(() => t.close());

/** One sign-in, from `localAddress` (any 127.x address reaches the loopback listener), with extra headers. */
async function signIn(email: string, password: string, opts: { localAddress?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(t.url);
  // The CSRF check wants the double-submit cookie and header; any value works as long as they match.
  const csrf = 'c'.repeat(43);
  const body = JSON.stringify({ email, password });
  return new Promise<{ status: number; body: { error?: { code: string; message: string } } }>((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname === 'localhost' ? '127.0.0.1' : url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/auth/sign-in',
        localAddress: opts.localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie: `rc_csrf=${csrf}`, 'x-csrf-token': csrf, origin: t.url, ...opts.headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('sign-in limits', () => {
  it('a made-up X-Forwarded-For does not reset the per-client count', () =>
    check('trust', 'sign-in limit: spoofed X-Forwarded-For', async () => {
      for (let i = 1; i <= 10; i++) {
        const res = await signIn('dev@acme.test', `wrong-${i}`, { headers: { 'x-forwarded-for': `203.0.113.${i}` } });
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      for (const spoofed of ['198.51.100.7', '127.0.0.1', '10.0.0.1, 198.51.100.8']) {
        const res = await signIn('dev@acme.test', 'wrong-again', { headers: { 'x-forwarded-for': spoofed } });
        expect(res.status, spoofed).toBe(429);
      }
      const right = await signIn('dev@acme.test', 'dev', { headers: { 'x-forwarded-for': '198.51.100.9' } });
      expect(right.status).toBe(429);
    }));

  it('many clients guessing one account pause its password sign-in, with backoff', () =>
    check('trust', 'sign-in limit: per account across addresses', async () => {
      // 20 failures, each from its own address (under every per-client limit), are allowed...
      for (let i = 1; i <= 20; i++) {
        const res = await signIn('admin@acme.test', `wrong-${i}`, { localAddress: `127.0.1.${i}` });
        expect(res.status, `attempt ${i}`).toBe(401);
      }
      // ...the 21st failure pauses the account: then even the right password, from a fresh address, waits.
      expect((await signIn('admin@acme.test', 'wrong-21', { localAddress: '127.0.1.21' })).status).toBe(401);
      const right = await signIn('admin@acme.test', 'admin', { localAddress: '127.0.1.22' });
      expect(right.status).toBe(429);
      expect(right.body.error?.code).toBe('rate_limited');
      expect(right.body.error?.message).toMatch(/Try again in 1 minute, or ask an admin of your organization to reset your password\./);
      // The same answer for an account that does not exist: the pause says nothing about which exist.
      for (let i = 1; i <= 21; i++) await signIn('nobody@acme.test', `wrong-${i}`, { localAddress: `127.0.2.${i}` });
      expect((await signIn('nobody@acme.test', 'x', { localAddress: '127.0.2.22' })).status).toBe(429);
      // Another account is not affected.
      expect((await signIn('dev@acme.test', 'dev', { localAddress: '127.0.1.23' })).status).toBe(200);
    }));

  it('behind a proxy, only the configured hop is believed', () =>
    check('trust', 'sign-in limit: TRUST_PROXY=1 takes the proxy-added address only', async () => {
      const proxied = await startTestBff({ TRUST_PROXY: '1' });
      const previous = t;
      t = proxied;
      try {
        // The proxy appends the real client (here 192.0.2.50) after whatever the client claimed.
        for (let i = 1; i <= 10; i++) {
          const res = await signIn('dev@acme.test', `wrong-${i}`, { headers: { 'x-forwarded-for': `203.0.113.${i}, 192.0.2.50` } });
          expect(res.status, `attempt ${i}`).toBe(401);
        }
        expect((await signIn('dev@acme.test', 'dev', { headers: { 'x-forwarded-for': '198.51.100.1, 192.0.2.50' } })).status).toBe(429);
        // Another real client (another proxy-added address) still signs in.
        expect((await signIn('dev@acme.test', 'dev', { headers: { 'x-forwarded-for': '192.0.2.51' } })).status).toBe(200);
      } finally {
        t = previous;
        await proxied.close();
      }
    }));
});
