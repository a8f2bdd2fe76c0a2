import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pino } from 'pino';
import { createEmulator } from './app.ts';
import { ConfigError, loadConfig, type EmulatorConfig } from './config.ts';
import { StateFileError } from './state-file.ts';

/**
 * Starts the emulator as its own process: `tsx src/server.ts`. With BITBUCKET_DC_TLS_CERT and
 * BITBUCKET_DC_TLS_KEY (PEM files) it serves HTTPS, as a company's Data Center does behind its own
 * certificate authority.
 */
function main(): void {
  const config = readConfigOrExit();
  const logger = pino({ level: config.logLevel, base: { service: 'bitbucket-dc-emulator' } });
  let emulator: ReturnType<typeof createEmulator>;
  try {
    emulator = createEmulator({ dataDir: config.dataDir, publicUrl: config.publicUrl, logger });
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const tls = readTls();
  const server = tls ? https.createServer(tls, emulator.app) : http.createServer(emulator.app);
  server.on('error', (error) => {
    logger.fatal({ err: error }, `Bitbucket Data Center emulator could not listen on ${config.host}:${config.port}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    logger.info({ dataDir: config.dataDir }, `Bitbucket Data Center emulator listening on ${tls ? 'https' : 'http'}://${config.host}:${config.port} (public URL ${config.publicUrl})`);
  });
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Bitbucket Data Center emulator shutting down');
    server.close(() => {
      emulator
        .close()
        .then(() => process.exit(0))
        .catch(() => process.exit(1));
    });
    server.closeAllConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function readTls(): { cert: Buffer; key: Buffer } | null {
  const cert = process.env.BITBUCKET_DC_TLS_CERT;
  const key = process.env.BITBUCKET_DC_TLS_KEY;
  if (!cert && !key) return null;
  if (!cert || !key) {
    process.stderr.write('Set both BITBUCKET_DC_TLS_CERT and BITBUCKET_DC_TLS_KEY (PEM files), or neither.\n');
    process.exit(1);
  }
  return { cert: fs.readFileSync(cert), key: fs.readFileSync(key) };
}

function readConfigOrExit(): EmulatorConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

main();
