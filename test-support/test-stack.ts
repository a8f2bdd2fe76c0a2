import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../scripts/build-services.mjs';
import { startRecordingProxy } from './recording-proxy.ts';
import { freePort } from './free-port.ts';

export interface TestStack {
  /** Where tests reach the BFF (through the recording proxy when there is one). */
  dashboard: string;
  bffDirect: string;
  ports: { bff: number; runner: number; bitbucket: number };
  proxy: Awaited<ReturnType<typeof startRecordingProxy>> | undefined;
  runner: string;
  bitbucket: string;
  dataDir: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Resolves once scripts/start.mjs has printed its "running" block; rejects if it exits or times out. */
export function waitForStackStart(child: ChildProcess, timeoutMs: number): Promise<void> {
  let output = '';
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start:\n${output}`)), timeoutMs);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Press Ctrl-C to stop.')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the stack exited (${code}):\n${output}`)));
  });
}

/** Stops the start script (it stops its services on SIGTERM) and waits until it has exited. */
export async function stopStartScript(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The whole stack (emulator, BFF, Local runner) started exactly as `npm start` starts it, on free
 * loopback ports with a temporary data folder. The dashboard build is skipped: these tests speak HTTP.
 */
export async function startTestStack(opts: { env?: Record<string, string>; recordBff?: boolean } = {}): Promise<TestStack> {
  const [bff, runner, bitbucket] = [await freePort(), await freePort(), await freePort()];
  // The other emulators on free ports too: their defaults would collide with a development stack or
  // a second test stack on the machine.
  const others = {
    GITHUB_PORT: String(await freePort()),
    GITLAB_PORT: String(await freePort()),
    AZURE_DEVOPS_PORT: String(await freePort()),
    ENTRA_PORT: String(await freePort()),
    BITBUCKET_DC_PORT: String(await freePort()),
  };
  // With recordBff, the runner and the test's own clients reach the BFF through a recording proxy.
  const proxy = opts.recordBff ? await startRecordingProxy(bff) : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-stack-'));
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(bff),
      RUNNER_PORT: String(runner),
      BITBUCKET_PORT: String(bitbucket),
      ...others,
      DATA_DIR: dataDir,
      SKIP_WEB_BUILD: '1',
      LOG_LEVEL: 'info',
      // Through the proxy, the BFF's public address is the proxy's: Connect's last step comes back there.
      ...(proxy ? { RUNNER_BFF_URL: `http://localhost:${proxy.port}`, PUBLIC_URL: `http://localhost:${proxy.port}` } : {}),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForStackStart(child, 60_000);
  return {
    dashboard: `http://localhost:${proxy?.port ?? bff}`,
    bffDirect: `http://localhost:${bff}`,
    ports: { bff, runner, bitbucket },
    proxy,
    runner: `http://localhost:${runner}`,
    bitbucket: `http://localhost:${bitbucket}`,
    dataDir,
    process: child,
    async stop() {
      await stopStartScript(child);
      await proxy?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser stand-in: one cookie jar per origin, manual redirects, HTML forms by regex. */
export class TestBrowser {
  private jars = new Map<string, Map<string, string>>();

  private jar(url: string) {
    const origin = new URL(url).host;
    let jar = this.jars.get(origin);
    if (!jar) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(url).get(name);
  }

  cookiesOf(url: string): Map<string, string> {
    return this.jar(url);
  }

  async fetch(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
    const jar = this.jar(url);
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      body: init.body,
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...init.headers },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1);
      if (!value || /Expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    return { res, status: res.status, location: location ? new URL(location, url).toString() : null, text: await res.text() };
  }

  /** Follow redirects until `stop(url)` says to stop (the URL is returned unvisited) or a page answers. */
  async follow(url: string, stop: (url: string) => boolean = () => false) {
    let current = url;
    for (let i = 0; i < 20; i++) {
      if (stop(current)) return { stoppedAt: current, page: undefined };
      const page = await this.fetch(current);
      if (!page.location) return { stoppedAt: undefined, page: { ...page, url: current } };
      current = page.location;
    }
    throw new Error('too many redirects');
  }

  async api(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (!this.cookie(base, 'rc_csrf')) await this.fetch(`${base}/api/auth/session`);
    const page = await this.fetch(base + path, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.cookie(base, 'rc_csrf') ?? '', ...headers },
    });
    return { status: page.status, body: page.text ? JSON.parse(page.text) : undefined };
  }
}

export function formField(html: string, name: string): string {
  const m = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!m) throw new Error(`no field ${name} in page`);
  return m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");
}

export function formBody(fields: Record<string, string>): { body: string; headers: Record<string, string> } {
  return { body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}
