import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import type { EnvironmentCredentialRecord, EnvironmentCredentials } from './environment-credentials.ts';

/** What git gets for an environment: a username and password for the provider's git over HTTPS. */
export interface GitCredentials {
  username: string;
  password: string;
}

/** A refusal the helper shows the user as is (so it says what to do next). */
export class GitCredentialRefusal extends Error {
  constructor(
    readonly status: 403 | 409 | 502,
    message: string,
  ) {
    super(message);
  }
}

const routePattern = /^\/v1\/environments\/([A-Za-z0-9_-]{1,100})\/git-credentials$/;
const maxBodyBytes = 8 * 1024;

/**
 * Where the runner listens for its environments' credential helpers: a Unix socket in a folder only
 * the runner's user can enter. Unix socket paths are limited to about 100 bytes; a data folder
 * deeper than that gets a private folder under the system's temporary directory instead.
 */
export function gitCredentialSocketPath(dataDir: string): string {
  const preferred = path.join(path.resolve(dataDir), 'git-credentials', 'runner.sock');
  if (Buffer.byteLength(preferred) <= 100) return preferred;
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join(os.tmpdir(), `rc-git-${id}`, 'runner.sock');
}

/**
 * The runner's local credential channel for `git push` and `git fetch` in environments. A request
 * names its environment and carries that environment's secret; the runner answers with the
 * current credentials of the user who created it, for the provider host it was cloned from only.
 * Nothing here is reachable over the network.
 */
export async function startGitCredentialServer(opts: {
  socketPath: string;
  environments: EnvironmentCredentials;
  credentialsFor: (record: EnvironmentCredentialRecord) => Promise<GitCredentials>;
  log: Logger;
}): Promise<{ socketPath: string; close(): Promise<void> }> {
  const dir = path.dirname(opts.socketPath);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  fs.rmSync(opts.socketPath, { force: true });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.log.error({ err }, 'git credential request failed');
      answer(res, 500, 'The runner could not look up your git credentials. Try again in a moment.');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = routePattern.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return answer(res, 404, 'Unknown request.');
    const environmentId = match[1]!;
    const bearer = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.headers.authorization ?? '')?.[1];
    const record = bearer ? opts.environments.authenticate(environmentId, bearer) : undefined;
    if (!record) return answer(res, 403, 'This environment’s git credential helper is not known to the runner. Create the environment again.');
    const body = await readBody(req);
    if (body === undefined) return answer(res, 400, 'The credential request was too large.');
    const request = parseCredentialRequest(body);
    // Only for the host the environment was cloned from: a remote the user adds elsewhere never gets the token.
    if (request.host !== record.gitHost) return answer(res, 403, `The runner only gives credentials for ${record.gitHost}, not ${request.host ?? 'this remote'}.`);
    try {
      const credentials = await opts.credentialsFor(record);
      opts.log.debug({ environmentId, host: record.host }, 'git credentials handed to an environment');
      answer(res, 200, `username=${credentials.username}\npassword=${credentials.password}\n`);
    } catch (err) {
      if (err instanceof GitCredentialRefusal) return answer(res, err.status, err.message);
      throw err;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.socketPath, () => resolve());
  });
  fs.chmodSync(opts.socketPath, 0o600);
  return {
    socketPath: opts.socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** git's credential request: `key=value` lines (https://git-scm.com/docs/git-credential#IOFMT). */
export function parseCredentialRequest(text: string): { protocol?: string; host?: string } {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
  }
  return { protocol: fields.protocol, host: fields.host };
}
