import fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
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

const maxRequestBytes = 8 * 1024;
/** How long one helper may take to send its request. */
const requestTimeoutMs = 10_000;

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
 * The runner's local credential channel for `git push` and `git fetch` in environments. It speaks
 * the wire format of git's own `git credential-cache` client (which the environment's helper
 * runs, because it starts in about 2 ms where curl takes 30): the client writes
 * `action=get`, `timeout=…` and the credential request, shuts down its side, and copies the answer
 * to git. (https://git-scm.com/docs/git-credential-cache; the format is that of
 * https://git-scm.com/docs/git-credential#IOFMT.) The request names the environment and carries
 * its secret; the answer is the current credentials of the user who created the environment, for
 * the protocol and host it was cloned from only, or `runner-console-error=<reason>` for the helper to show.
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

  const connections = new Set<Socket>();
  // Half-open: the client shuts down its side when its request is complete, then reads the answer.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    socket.setTimeout(requestTimeoutMs, () => socket.destroy());
    let size = 0;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) socket.destroy();
      else chunks.push(chunk);
    });
    socket.on('error', () => socket.destroy());
    socket.on('end', () => {
      answer(Buffer.concat(chunks).toString('utf8')).then(
        (text) => socket.end(text),
        (err: unknown) => {
          opts.log.error({ err }, 'git credential request failed');
          socket.end(refusal('The runner could not look up your git credentials. Try again in a moment.'));
        },
      );
    });
  });

  async function answer(text: string): Promise<string> {
    const request = parseCredentialRequest(text);
    // store and erase tell the helper's cache what git thought of the credentials: nothing to keep.
    if (request.action !== 'get') return '';
    const record = request.environment && request.secret ? opts.environments.authenticate(request.environment, request.secret) : undefined;
    if (!record) return refusal('This environment’s git credential helper is not known to the runner. Create the environment again.');
    // Only for the protocol and host the environment was cloned from: a remote the user adds
    // elsewhere, or the same host over plain http where the endpoint is https, never gets the token.
    if (request.protocol !== record.gitProtocol || request.host !== record.gitHost) {
      return refusal(`The runner gives git credentials for ${record.gitProtocol}://${record.gitHost} only, not for ${request.protocol ?? 'an unnamed protocol'}://${request.host ?? 'this remote'}.`);
    }
    try {
      const credentials = await opts.credentialsFor(record);
      opts.log.debug({ environmentId: record.environmentId, host: record.host }, 'git credentials handed to an environment');
      return `username=${credentials.username}\npassword=${credentials.password}\n`;
    } catch (err) {
      if (err instanceof GitCredentialRefusal) return refusal(err.message);
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
        for (const socket of connections) socket.destroy();
      }),
  };
}

/** One line, so the helper can show it: no newline may end the attribute early. */
function refusal(message: string): string {
  return `runner-console-error=${message.replace(/[\r\n]+/g, ' ')}\n`;
}

/**
 * The request as git credential-cache relays it: `action=`, `timeout=`, then git's credential
 * attributes and the helper's `environment=` and `secret=` (https://git-scm.com/docs/git-credential#IOFMT).
 */
export function parseCredentialRequest(text: string): { action?: string; protocol?: string; host?: string; environment?: string; secret?: string } {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields[line.slice(0, at)] ??= line.slice(at + 1);
  }
  return { action: fields.action, protocol: fields.protocol, host: fields.host, environment: fields.environment, secret: fields.secret };
}
