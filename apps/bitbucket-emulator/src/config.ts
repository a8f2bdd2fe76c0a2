import { createEmulatorConfigLoader } from '@runner-console/emulator-kit';

export { ConfigError, type EmulatorConfig } from '@runner-console/emulator-kit';

/** BITBUCKET_PORT (8082), BITBUCKET_HOST, BITBUCKET_PUBLIC_URL, DATA_DIR (files in `bitbucket-emulator/`), LOG_LEVEL. */
export const loadConfig = createEmulatorConfigLoader({ variablePrefix: 'BITBUCKET', name: 'Bitbucket emulator', defaultPort: 8082 });
