import { runEmulatorProcess } from '@runner-console/emulator-kit';
import { createEmulator } from './app.ts';
import { loadConfig } from './config.ts';

/** Starts the emulator as its own process: `tsx src/server.ts` (the emulator kit's runEmulatorProcess). */
runEmulatorProcess({
  service: 'bitbucket-emulator',
  name: 'Bitbucket emulator',
  variablePrefix: 'BITBUCKET',
  loadConfig,
  create: (config, logger) => createEmulator({ dataDir: config.dataDir, publicUrl: config.publicUrl, logger }),
});
