import type { Server } from 'node:http';
import { pino } from 'pino';
import { createEmulators } from './app.ts';
import { StateFileError } from './state-file.ts';
import { ConfigError, loadDevOpsConfig, loadEntraConfig, type EmulatorConfig } from './config.ts';

/** Starts both emulators in one process: `tsx src/server.ts` (Azure DevOps on AZURE_DEVOPS_PORT, Entra ID on ENTRA_PORT). */
async function main(): Promise<void> {
  const [devopsConfig, entraConfig] = readConfigOrExit();
  const logger = pino({ level: devopsConfig.logLevel, base: { service: 'azure-devops-emulator' } });
  let emulators: Awaited<ReturnType<typeof createEmulators>>;
  try {
    emulators = await createEmulators({ dataDir: devopsConfig.dataDir, devopsUrl: devopsConfig.publicUrl, entraUrl: entraConfig.publicUrl, logger });
  } catch (error) {
    if (!(error instanceof StateFileError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const listen = (name: string, app: typeof emulators.devops, config: EmulatorConfig): Server =>
    app.listen(config.port, config.host, (error?: Error) => {
      if (error) {
        logger.fatal({ err: error }, `${name} emulator could not listen on ${config.host}:${config.port}`);
        process.exit(1);
      }
      logger.info(`${name} emulator listening on http://${config.host}:${config.port} (public URL ${config.publicUrl})`);
    });
  const servers = [listen('Azure DevOps', emulators.devops, devopsConfig), listen('Entra ID', emulators.entra, entraConfig)];
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'Azure DevOps and Entra ID emulators shutting down');
    let open = servers.length;
    for (const server of servers) {
      server.close(() => {
        if (--open === 0) void emulators.close().then(() => process.exit(0));
      });
      server.closeAllConnections();
    }
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function readConfigOrExit(): [EmulatorConfig, EmulatorConfig] {
  try {
    return [loadDevOpsConfig(), loadEntraConfig()];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

void main();
