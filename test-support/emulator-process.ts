import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildServicesIfStale, repoRoot, serviceCommand } from '../scripts/build-services.mjs';
import { freePort } from './free-port.ts';

/** The Bitbucket emulator alone, as `npm start` runs it, on a random port with its own data folder. */
export async function startEmulatorProcess() {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-emulator-'));
  await buildServicesIfStale(['bitbucket-emulator']);
  const child: ChildProcess = spawn(process.execPath, serviceCommand('bitbucket-emulator'), {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, BITBUCKET_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/_emulator/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error('the emulator did not start');
    await new Promise((r) => setTimeout(r, 100));
  }

  async function testApi(method: string, apiPath: string, body?: unknown) {
    const response = await fetch(`${baseUrl}${apiPath}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  }

  return {
    baseUrl,
    testApi,
    async createConsumer(permissions = ['account', 'repository', 'repository:write', 'pullrequest', 'issue']) {
      const { status, body } = await testApi('POST', '/_emulator/consumers', {
        workspace: 'acme',
        name: 'Runner Console test',
        callbackUrl: 'http://127.0.0.1:9/oauth/callback',
        permissions,
        private: false,
      });
      if (status !== 201) throw new Error(`consumer not created: ${JSON.stringify(body)}`);
      return body as { key: string; secret: string };
    },
    obtainTokens: (consumer: { key: string; secret: string }, username = 'alice') => obtainEmulatorTokens(baseUrl, consumer, username),
    async stop() {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
export type EmulatorProcess = Awaited<ReturnType<typeof startEmulatorProcess>>;

/** The authorization code flow on the emulator as a user's browser goes through it: sign in, grant, exchange. */
export async function obtainEmulatorTokens(baseUrl: string, consumer: { key: string; secret: string }, username = 'alice') {
  const cookies = new Map<string, string>();
  const request = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(new URL(url, baseUrl), { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return response;
  };
  const hidden = (html: string) =>
    Object.fromEntries([...html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const signIn = await request('/account/signin/');
  await request('/account/signin/', form({ ...hidden(await signIn.text()), next: '/', username, password: username }));
  const authorizeUrl = `/site/oauth2/authorize?${new URLSearchParams({ client_id: consumer.key, response_type: 'code', state: 's' })}`;
  let answer = await request(authorizeUrl);
  if (answer.status === 200) answer = await request('/site/oauth2/authorize', form({ ...hidden(await answer.text()), decision: 'grant' }));
  const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`no code from the emulator (HTTP ${answer.status})`);
  const token = await fetch(`${baseUrl}/site/oauth2/access_token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'authorization_code', code }),
  });
  if (!token.ok) throw new Error(`token exchange failed: ${await token.text()}`);
  return (await token.json()) as { access_token: string; refresh_token: string; expires_in: number; scope: string };
}
