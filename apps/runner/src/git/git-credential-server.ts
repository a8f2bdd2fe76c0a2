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

/** Unix socket paths are limited to 104 bytes on macOS and 108 on Linux, with the final NUL. */
const maxSocketPathBytes = 100;

/**
 * Where the runner listens for its environments' credential helpers: a Unix socket in a folder only
 * the runner's user can enter. A data folder too deep for a socket path gets a folder named after it
 * under `$XDG_RUNTIME_DIR` (the user's own, 0700) when that is set, else under the system's
 * temporary directory with the user's id in its name. The path is the same at every start, because
 * environments' helpers are written with it; startGitCredentialServer refuses a folder there that
 * the runner's user did not make private (checkSocketFolder).
 */
export function gitCredentialSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const preferred = path.join(path.resolve(dataDir), 'git-credentials', 'runner.sock');
  if (Buffer.byteLength(preferred) <= maxSocketPathBytes) return preferred;
  const id = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  const runtimeDir = env.XDG_RUNTIME_DIR;
  if (runtimeDir && path.isAbsolute(runtimeDir)) {
    const inRuntimeDir = path.join(runtimeDir, `rc-git-${id}`, 'runner.sock');
    if (Buffer.byteLength(inRuntimeDir) <= maxSocketPathBytes) return inRuntimeDir;
  }
  return path.join(os.tmpdir(), `rc-git-${process.getuid?.() ?? 'user'}-${id}`, 'runner.sock');
}

/**
 * Makes the socket's folder, or checks the one already there: a real folder (not a symbolic link),
 * owned by the runner's user, mode 0700, in a parent where no other user can swap it (not
 * world-writable, or sticky like /tmp). Anything else is refused: in a shared temporary directory
 * another user can make that folder first, then read or replace the socket, and learn environments'
 * secrets or answer git with credentials of their choosing.
 */
export function checkSocketFolder(dir: string): void {
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const parentStat = fs.statSync(parent);
  const folder = fs.lstatSync(dir);
  const uid = process.getuid?.();
  const mode = folder.mode & 0o777;
  const problem = folder.isSymbolicLink()
    ? 'is a symbolic link'
    : !folder.isDirectory()
      ? 'is not a folder'
      : uid !== undefined && folder.uid !== uid
        ? `belongs to another user (uid ${folder.uid}; the runner runs as uid ${uid})`
        : mode !== 0o700
          ? `has mode ${mode.toString(8).padStart(4, '0')}, not 0700`
          : parentStat.mode & 0o002 && !(parentStat.mode & 0o1000)
            ? `is in ${parent}, which any user can write to and which is not sticky`
            : undefined;
  if (problem) {
    throw new Error(
      `The folder for the git credential socket, ${dir}, ${problem}, so the runner will not use it: another user could read or replace the socket. Remove that folder and start the runner again, or use a shorter RUNNER_DATA_DIR (or set XDG_RUNTIME_DIR) so the socket lives in a folder only the runner's user can reach.`,
    );
  }
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
  checkSocketFolder(path.dirname(opts.socketPath));
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
