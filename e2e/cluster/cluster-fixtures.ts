import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { e2eDataDir, e2ePorts } from '../../playwright.config.ts';
import { TestBrowser, formBody, formField } from '../../test-support/test-stack.ts';

/** The cluster `npm run start:cluster` runs for these tests (see playwright.cluster.config.ts). */
export const cluster = {
  dashboard: `http://localhost:${e2ePorts.bff}`,
  runner: `http://localhost:${e2ePorts.runner}`,
  bitbucket: `http://localhost:${e2ePorts.bitbucket}`,
  instances: ['bff-1', 'bff-2', 'bff-3'] as const,
  dataDir: e2eDataDir,
};
export type InstanceName = (typeof cluster.instances)[number];

const portOf = (name: InstanceName) => e2ePorts.bff + 10 + cluster.instances.indexOf(name);

/** The instance's Prometheus metrics (start:cluster: PORT+13..15, loopback). */
export const metricsUrlOf = (name: InstanceName) => `http://127.0.0.1:${e2ePorts.bff + 10 + cluster.instances.length + cluster.instances.indexOf(name)}/metrics`;

/** The instance id the BFF logged when it (last) started: the key of runners.link_instance. */
export function instanceIdOf(name: InstanceName): string | undefined {
  const log = fs.readFileSync(path.join(cluster.dataDir, 'logs', `${name}.log`), 'utf8');
  const ids = [...log.matchAll(/"instanceId":"([0-9a-f-]{36})"/g)];
  return ids.at(-1)?.[1];
}

/** The throwaway database's URL (its password is in the data folder). */
function databaseUrl(): string {
  const password = fs.readFileSync(path.join(cluster.dataDir, 'postgres', 'password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${e2ePorts.bff + 20}/runner_console`;
}

/** The id of the instance holding the runner's link, as the database records it (undefined: not connected). */
export async function linkInstanceIdOf(runnerName = 'Local runner'): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ link_instance: string | null; phase: string }>('select link_instance, phase from runners where name = $1', [runnerName]);
    return (rows[0]?.phase === 'active' || rows[0]?.phase === 'degraded') && rows[0].link_instance ? rows[0].link_instance : undefined;
  } finally {
    await client.end();
  }
}

/** Which instance holds the runner's link now. */
export async function linkOwnerOf(runnerName = 'Local runner'): Promise<InstanceName | undefined> {
  const owner = await linkInstanceIdOf(runnerName);
  return cluster.instances.find((name) => owner && instanceIdOf(name) === owner);
}

/** SIGKILL one instance, as a crash; start:cluster starts it again a second later. */
export function killInstance(name: InstanceName): void {
  const pid = Number(fs.readFileSync(path.join(cluster.dataDir, 'cluster', `${name}.pid`), 'utf8'));
  process.kill(pid, 'SIGKILL');
}

/** SIGTERM one instance, as a rolling restart does: it drains, exits, and start:cluster starts it again. */
export function terminateInstance(name: InstanceName): number {
  const pid = Number(fs.readFileSync(path.join(cluster.dataDir, 'cluster', `${name}.pid`), 'utf8'));
  process.kill(pid, 'SIGTERM');
  return pid;
}

/** Until the instance (a new process, not `previousPid`) answers /readyz 200, as HAProxy's check wants. */
export async function waitUntilReady(name: InstanceName, previousPid?: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const pidFile = path.join(cluster.dataDir, 'cluster', `${name}.pid`);
  while (Date.now() < deadline) {
    try {
      const restarted = previousPid === undefined || Number(fs.readFileSync(pidFile, 'utf8')) !== previousPid;
      if (restarted && (await fetch(`http://127.0.0.1:${portOf(name)}/readyz`)).ok) return;
    } catch {
      /* restarting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not come back ready`);
}

export async function waitUntilHealthy(name: InstanceName, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${portOf(name)}/healthz`)).ok) return;
    } catch {
      /* restarting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not come back`);
}

export async function waitUntil<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await read();
      if (ok(value)) return value;
    } catch {
      /* an instance may be restarting: ask again */
    }
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function signedInBrowser(email: string, password: string): Promise<TestBrowser> {
  const browser = new TestBrowser();
  const res = await browser.api(cluster.dashboard, 'POST', '/api/auth/sign-in', { email, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`);
  return browser;
}

/** Admin side through the API: a fresh emulator consumer and Local runner's Bitbucket integration for it. */
export async function configureBitbucket(admin: TestBrowser): Promise<string> {
  const consumer = (await (
    await fetch(`${cluster.bitbucket}/_emulator/consumers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: 'acme', name: `Cluster ${Date.now()}`, callbackUrl: `${cluster.runner}/oauth/callback`, permissions: ['account', 'repository', 'repository:write', 'pullrequest', 'issue'], private: false }),
    })
  ).json()) as { key: string; secret: string };
  const runners = await admin.api(cluster.dashboard, 'GET', '/api/runners');
  const runnerId = runners.body.runners.find((r: { name: string }) => r.name === 'Local runner').id as string;
  const existing = await admin.api(cluster.dashboard, 'GET', `/api/runners/${runnerId}/integrations`);
  for (const i of existing.body.integrations) await admin.api(cluster.dashboard, 'DELETE', `/api/runners/${runnerId}/integrations/${i.id}`);
  const created = await admin.api(cluster.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, {
    provider: 'bitbucket',
    host: 'bitbucket.org',
    oauthEnabled: true,
    clientId: consumer.key,
    oauthPlaintextClientSecret: consumer.secret,
  });
  if (created.status !== 201) throw new Error(`adding Bitbucket failed: ${created.status} ${JSON.stringify(created.body)}`);
  return runnerId;
}

/**
 * One Connect, as the popup does it: BFF start → runner → Bitbucket sign-in and consent → the
 * runner's callback → the dashboard's finish step. `beforeCallback` runs once Bitbucket has answered and the browser is about to
 * go back to the runner: the flow is redeemed and in progress. Returns the flow id.
 */
export async function connectThroughHttp(browser: TestBrowser, runnerId: string, bitbucketUser: 'alice' | 'bob', beforeCallback?: () => Promise<void>): Promise<string> {
  const q = new URLSearchParams({ runnerId, host: 'bitbucket.org', csrf: browser.cookie(cluster.dashboard, 'rc_csrf') ?? '', mode: 'popup' });
  const atCallback = (url: string) => url.startsWith(`${cluster.runner}/oauth/callback`);
  let step = await browser.follow(`${cluster.dashboard}/api/connect/start?${q}`, atCallback);
  for (let i = 0; i < 4 && !step.stoppedAt; i++) {
    const page = step.page!;
    if (page.text.includes('name="username"')) {
      const form = formBody({ csrf_token: formField(page.text, 'csrf_token'), next: formField(page.text, 'next'), username: bitbucketUser, password: bitbucketUser });
      const posted = await browser.fetch(`${cluster.bitbucket}/account/signin/`, { method: 'POST', ...form });
      step = await browser.follow(posted.location!, atCallback);
    } else if (page.text.includes('value="grant"')) {
      const fields: Record<string, string> = { decision: 'grant' };
      for (const name of ['csrf_token', 'client_id', 'response_type', 'redirect_uri', 'state']) {
        try {
          fields[name] = formField(page.text, name);
        } catch {
          /* optional field */
        }
      }
      const posted = await browser.fetch(`${cluster.bitbucket}/site/oauth2/authorize`, { method: 'POST', ...formBody(fields) });
      step = await browser.follow(posted.location!, atCallback);
    } else {
      throw new Error(`unexpected page at ${page.url}: ${page.status} ${page.text.slice(0, 300)}`);
    }
  }
  if (!step.stoppedAt) throw new Error('never reached the callback');
  const flowId = new URL(step.stoppedAt).searchParams.get('state')!.split('.')[0]!;
  await beforeCallback?.();
  // The callback sends the browser on to the dashboard, which stores the token for this session's user.
  const { page: callback } = await browser.follow(step.stoppedAt);
  if (callback?.status !== 200) throw new Error(`the Connect result page answered ${callback?.status}: ${callback?.text.slice(0, 300)}`);
  return flowId;
}
