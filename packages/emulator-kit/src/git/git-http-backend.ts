import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { parseCgiHead } from './cgi-response.ts';
import { gitEnvironment } from './git-cli.ts';

const MAX_HEAD_BYTES = 64 * 1024;

export interface HttpBackendCall {
  req: Request;
  res: Response;
  /** GIT_PROJECT_ROOT: the folder holding `{workspace}/{repo}.git`. */
  projectRoot: string;
  /** `/{workspace}/{repo}.git/info/refs` and the like, relative to the project root. */
  pathInfo: string;
  /** Set for authenticated requests; git-http-backend enables receive-pack only then. */
  remoteUser: string | undefined;
  logger: Logger;
  children: Set<ChildProcess>;
}

/**
 * Serves git's smart HTTP protocol by running `git http-backend` as a CGI program.
 * https://git-scm.com/docs/git-http-backend. Gzip request bodies are inflated by http-backend
 * itself, from HTTP_CONTENT_ENCODING; Git-Protocol (v2) is passed as HTTP_GIT_PROTOCOL.
 */
export function serveWithHttpBackend(call: HttpBackendCall): void {
  const { req, res } = call;
  const child = spawn('git', ['http-backend'], {
    env: cgiEnvironment(call),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  call.children.add(child);
  child.on('close', () => call.children.delete(child));
  req.pipe(child.stdin);
  child.stdin.on('error', (error) =>
    call.logger.debug({ err: error }, 'git http-backend closed its input early'),
  );
  child.stderr.on('data', (chunk: Buffer) =>
    call.logger.warn({ stderr: chunk.toString('utf8').trim() }, 'git http-backend'),
  );
  res.on('close', () => {
    if (child.exitCode === null) child.kill();
  });
  relayCgiOutput(child, res, call.logger);
}

function cgiEnvironment(call: HttpBackendCall): NodeJS.ProcessEnv {
  const { req } = call;
  const optional = (name: string, value: string | undefined) =>
    value === undefined ? {} : { [name]: value };
  return gitEnvironment({
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    GIT_PROJECT_ROOT: call.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: call.pathInfo,
    REQUEST_METHOD: req.method,
    QUERY_STRING: new URL(req.originalUrl, 'http://localhost').search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    ...optional('REMOTE_USER', call.remoteUser),
    ...optional('CONTENT_TYPE', req.get('content-type')),
    ...optional('CONTENT_LENGTH', req.get('content-length')),
    ...optional('HTTP_CONTENT_ENCODING', req.get('content-encoding')),
    ...optional('HTTP_GIT_PROTOCOL', req.get('git-protocol')),
  });
}

/** Reads the CGI header block, turns it into the HTTP status and headers, then streams the body. */
function relayCgiOutput(
  child: ChildProcessWithoutNullStreams,
  res: Response,
  logger: Logger,
): void {
  let head = Buffer.alloc(0);
  let relaying = false;
  const fail = (reason: string) => {
    if (relaying) return;
    relaying = true;
    child.stdout.off('data', onData);
    child.kill();
    logger.error({ reason }, 'git http-backend failed');
    res.status(500).type('text/plain').send('Git service failed. Try again.\n');
  };
  const onData = (chunk: Buffer) => {
    head = Buffer.concat([head, chunk]);
    const parsed = parseCgiHead(head);
    if (!parsed) {
      if (head.length > MAX_HEAD_BYTES) fail('git http-backend sent no header block');
      return;
    }
    relaying = true;
    child.stdout.off('data', onData);
    res.status(parsed.status);
    for (const [name, value] of parsed.headers) res.setHeader(name, value);
    res.write(head.subarray(parsed.bodyStart));
    child.stdout.pipe(res);
  };
  child.stdout.on('data', onData);
  child.on('close', (code) =>
    fail(`git http-backend exited with code ${String(code)} before answering`),
  );
  child.on('error', (error) => fail(error.message));
}
