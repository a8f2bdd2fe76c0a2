import type { Server } from 'node:http';
import { pino } from 'pino';
import { createEmulator, type Emulator } from './app.ts';
import { StateFileError } from './state-file.ts';
import { ConfigError, loadConfig, type EmulatorConfig } from './config.ts';

/** Starts the emulator as its own process: `tsx src/server.ts`. */
function main(): void {
  const config = readConfigOrExit();
  const logger = pino({ level: config.logLevel, base: { service: 'gitlab-emulator' } });
  const emulator = createEmulatorOrExit(config, logger);
  const server = emulator.app.listen(config.port, config.host, (error?: Error) => {
    if (error) {
      logger.fatal(
        { err: error },
        `GitLab emulator could not listen on ${config.host}:${config.port}`,
      );
      process.exit(1);
    }
    logger.info(
      { dataDir: config.dataDir },
      `GitLab emulator listening on http://${config.host}:${config.port} (public URL ${config.publicUrl})`,
    );
  });
  const stop = (signal: NodeJS.Signals) => shutDown(server, emulator.close, logger, signal);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function createEmulatorOrExit(config: EmulatorConfig, logger: pino.Logger): Emulator {
  try {
    return createEmulator({ dataDir: config.dataDir, publicUrl: config.publicUrl, logger });
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
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

function shutDown(
  server: Server,
  closeEmulator: () => Promise<void>,
  logger: pino.Logger,
  signal: NodeJS.Signals,
): void {
  logger.info({ signal }, 'GitLab emulator shutting down');
  server.close(() => {
    closeEmulator()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'GitLab emulator did not close cleanly');
        process.exit(1);
      });
  });
  // Keep-alive and hanging connections would otherwise hold close() open.
  server.closeAllConnections();
}

main();
