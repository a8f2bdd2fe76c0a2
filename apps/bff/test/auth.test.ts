import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBff, type TestBff } from './test-bff.ts';
import { TestApiClient, signedIn } from './api-client.ts';

let t: TestBff;
beforeAll(async () => {
  t = await startTestBff();
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('signs in the seeded admin and reports the session', async () => {
    const client = await signedIn(t.url, 'admin');
    const res = await client.request('GET', '/api/auth/session');
    expect(res.body.user).toMatchObject({ email: 'admin@acme.test', role: 'admin', orgName: 'Acme' });
  });

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'dev@acme.test', password: 'dev' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('rc_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('refuses a wrong password with a clear 401', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'admin@acme.test', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
    expect(res.body.error.message).toMatch(/do not match/);
  });

  it('answers a malformed body with 400 and field errors, never a stack', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'not-an-email', password: 5 });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.email).toMatch(/e-mail/);
    expect(res.body.error.fields.password).toBeTruthy();
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers an e-mail that is not a string with 400, before and after the rate limiter', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: { toString: {}, valueOf: {} }, password: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.email).toBeTruthy();
  });

  it('answers a body that is not JSON with 415', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', 'email=a@b.c&password=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toMatch(/JSON/);
  });

  it('answers broken JSON with 400', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', '{"email":');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('answers a body over 100 KB with 413', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'a@b.c', password: 'x'.repeat(110_000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses a state-changing request without the CSRF header', async () => {
    const client = new TestApiClient(t.url);
    await client.request('GET', '/api/auth/session');
    const res = await fetch(`${t.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookieHeader() },
      body: JSON.stringify({ email: 'admin@acme.test', password: 'admin' }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('csrf_failed');
  });

  it('refuses a cross-site request even with a matching token', async () => {
    const client = new TestApiClient(t.url);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'admin@acme.test', password: 'admin' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it('treats an expired session as signed out', async () => {
    const client = await signedIn(t.url, 'dev');
    await t.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).execute();
    const res = await client.request('GET', '/api/runners');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/signed out/);
  });

  it('signs out', async () => {
    const client = await signedIn(t.url, 'dev');
    expect((await client.request('POST', '/api/auth/sign-out')).status).toBe(204);
    expect((await client.request('GET', '/api/auth/session')).body.user).toBeNull();
  });

  it('rate-limits repeated failed sign-ins', async () => {
    const client = new TestApiClient(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await client.request('POST', '/api/auth/sign-in', { email: 'limited@acme.test', password: 'wrong' })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const res = await client.request('POST', '/api/auth/sign-in', { email: 'limited@acme.test', password: 'wrong' });
    // It says when to try again, and points to what exists: an admin's password reset (Settings › Members).
    expect(res.body.error.message).toMatch(/Try again in (1[0-5]|[1-9]) minutes?, or ask an admin of your organization to reset your password\./);
  });

  it('stores passwords as scrypt hashes', async () => {
    const rows = await t.db.selectFrom('users').select('password_hash').execute();
    expect(rows.every((r) => r.password_hash.startsWith('scrypt$'))).toBe(true);
  });

  it("hashes only the development seed's public passwords with the small parameters; an invited member's gets the full ones", async () => {
    const admin = await signedIn(t.url, 'admin');
    const invitation = (await admin.request('POST', '/api/invitations', { email: 'hashed-full@acme.test', role: 'member' })).body;
    const joined = await new TestApiClient(t.url).request('POST', '/api/invitations/accept', { token: invitation.url.split('#')[1], name: 'Full', password: 'a long enough password' });
    expect(joined.status).toBe(201);
    const hashOf = async (email: string) => (await t.db.selectFrom('users').select('password_hash').where('email', '=', email).executeTakeFirstOrThrow()).password_hash;
    expect(await hashOf('admin@acme.test')).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hashOf('dev@acme.test')).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hashOf('hashed-full@acme.test')).toMatch(/^scrypt\$16384\$8\$5\$/);
  });
});

describe('production mode', () => {
  it('never creates the seed accounts', async () => {
    const prod = await startTestBff({ NODE_ENV: 'production' });
    try {
      const users = await prod.db.selectFrom('users').select('email').execute();
      expect(users).toEqual([]);
      const client = new TestApiClient(prod.url);
      expect((await client.request('POST', '/api/auth/sign-in', { email: 'admin@acme.test', password: 'admin' })).status).toBe(401);
    } finally {
      await prod.close();
    }
  });
});
