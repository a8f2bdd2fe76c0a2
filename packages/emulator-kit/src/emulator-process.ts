import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pino, type Logger } from 'pino';
import { ConfigError, type EmulatorConfig } from './emulator-config.ts';

/** What `runEmulatorProcess` starts: the emulator's request handler and how to close it. */
export interface ServedEmulator {
  app: http.RequestListener;
  close(): Promise<void>;
}

/**
 * Runs an emulator as its own process (`tsx src/server.ts`), the same way for every provider: read
 * the configuration (a bad setting ends the process with its message), create the emulator (an
 * error `isStartError` accepts, such as an unreadable state file, ends it the same way), listen, and
 * on SIGINT/SIGTERM close the server, its connections and the emulator. With `<PREFIX>_TLS_CERT` and
 * `<PREFIX>_TLS_KEY` (PEM files) it serves HTTPS, as a company's server behind its own certificate
 * authority does.
 */
export function runEmulatorProcess(options: {
  /** The log's service name, such as `gitlab-emulator`. */
  service: string;
  /** For people: "GitLab emulator". */
  name: string;
  /** The emulator's variables' prefix (`GITLAB`), for the TLS settings. */
  variablePrefix: string;
  loadConfig: () => EmulatorConfig;
  create: (config: EmulatorConfig, logger: Logger) => ServedEmulator;
  /** Errors on start that are a person's to fix (a damaged state file): their message, then exit 1. */
  isStartError?: (error: unknown) => error is Error;
}): void {
  const config = exitOnError(options.loadConfig, (error) => error instanceof ConfigError);
  const logger = pino({ level: config.logLevel, base: { service: options.service } });
  const emulator = exitOnError(
    () => options.create(config, logger),
    options.isStartError ?? (() => false),
  );
  const tls = readTls(options.variablePrefix);
  const server = tls ? https.createServer(tls, emulator.app) : http.createServer(emulator.app);
  server.on('error', (error) => {
    logger.fatal(
      { err: error },
      `${options.name} could not listen on ${config.host}:${config.port}`,
    );
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    logger.info(
      { dataDir: config.dataDir },
      `${options.name} listening on ${tls ? 'https' : 'http'}://${config.host}:${config.port} (public URL ${config.publicUrl})`,
    );
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, `${options.name} shutting down`);
    server.close(() => {
      emulator
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, `${options.name} did not close cleanly`);
          process.exit(1);
        });
    });
    // Keep-alive and hanging connections would otherwise hold close() open.
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function exitOnError<T>(run: () => T, expected: (error: unknown) => boolean): T {
  try {
    return run();
  } catch (error) {
    if (!expected(error)) throw error;
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

function readTls(prefix: string): { cert: Buffer; key: Buffer } | null {
  const cert = process.env[`${prefix}_TLS_CERT`];
  const key = process.env[`${prefix}_TLS_KEY`];
  if (!cert && !key) return null;
  if (!cert || !key) {
    process.stderr.write(
      `Set both ${prefix}_TLS_CERT and ${prefix}_TLS_KEY (PEM files), or neither.\n`,
    );
    process.exit(1);
  }
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}
