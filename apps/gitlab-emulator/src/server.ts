import { runEmulatorProcess } from '@runner-console/emulator-kit';
import { createEmulator } from './app.ts';
import { loadConfig } from './config.ts';
import { StateFileError } from './state-file.ts';

/**
 * Starts the emulator as its own process: `tsx src/server.ts` (the emulator kit's runEmulatorProcess).
 */
runEmulatorProcess({
  service: 'gitlab-emulator',
  name: 'GitLab emulator',
  variablePrefix: 'GITLAB',
  loadConfig,
  create: (config, logger) => createEmulator({ dataDir: config.dataDir, publicUrl: config.publicUrl, logger }),
  isStartError: (error): error is StateFileError => error instanceof StateFileError,
});
