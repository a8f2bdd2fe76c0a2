import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

/**
 * A runner started exactly as the set-up dialog says: its start command, run by bash in a folder
 * outside the repository that holds nothing but what the command downloads, with the runner token
 * pasted at its prompt. PATH carries only the system's tools and node; HOME is that folder.
 */
export class InstalledRunner {
  readonly dir: string;
  private child: ChildProcess | undefined;
  output = '';
  exitCode: Promise<number | null> = Promise.resolve(null);

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-installed-runner-'));
  }

  /** Runs the start command; `token` is what the admin pastes when it asks for the runner token. */
  start(command: string, token: string) {
    this.output = '';
    const child = spawn('bash', ['-c', command], {
      cwd: this.dir,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`, HOME: this.dir, LANG: 'C.UTF-8' },
    });
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stdin!.end(`${token}\n`);
    this.exitCode = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    this.child = child;
  }

  /** SIGTERM to the command's process group (bash and node), and wait until it has exited. */
  async stop() {
    const child = this.child;
    this.child = undefined;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    const exited = this.exitCode;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    await exited;
  }

  files(): string[] {
    return fs.readdirSync(this.dir).sort();
  }

  remove() {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Bitbucket's sign-in and consent in the Connect popup, as alice. */
export async function connectAsAliceInPopup(page: Page) {
  const popupPromise = page.waitForEvent('popup');
  await page.getByRole('button', { name: /^Connect( again)?$/ }).click();
  const popup = await popupPromise;
  const username = popup.getByLabel('Username');
  const grant = popup.getByRole('button', { name: 'Grant access' });
  const closed = popup.waitForEvent('close').then(() => 'closed' as const);
  const first = await Promise.race([
    closed,
    username.waitFor().then(() => 'sign-in' as const),
    grant.waitFor().then(() => 'grant' as const),
  ]).catch(() => 'closed' as const);
  if (first === 'sign-in') {
    await username.fill('alice');
    await popup.getByLabel('Password').fill('alice');
    await popup.getByRole('button', { name: 'Log in' }).click();
  }
  if (first !== 'closed') {
    const next = await Promise.race([closed, grant.waitFor().then(() => 'grant' as const)]).catch(() => 'closed' as const);
    if (next === 'grant') await grant.click();
  }
  await expect(page.getByRole('status').filter({ hasText: 'Bitbucket is now connected as Alice' })).toBeVisible({ timeout: 20_000 });
}
