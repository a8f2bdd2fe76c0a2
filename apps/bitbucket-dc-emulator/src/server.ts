import { runEmulatorProcess } from '@runner-console/emulator-kit';
import { createEmulator } from './app.ts';
import { loadConfig } from './config.ts';
import { StateFileError } from './state-file.ts';

/**
 * Starts the emulator as its own process: `tsx src/server.ts` (the emulator kit's runEmulatorProcess). With BITBUCKET_DC_TLS_CERT and
 * BITBUCKET_DC_TLS_KEY (PEM files) it serves HTTPS, as a company's Data Center does behind its own
 * certificate authority.
 */
runEmulatorProcess({
  service: 'bitbucket-dc-emulator',
  name: 'Bitbucket Data Center emulator',
  variablePrefix: 'BITBUCKET_DC',
  loadConfig,
  create: (config, logger) =>
    createEmulator({ dataDir: config.dataDir, publicUrl: config.publicUrl, logger }),
  isStartError: (error): error is StateFileError => error instanceof StateFileError,
});
