import { createEmulatorConfigLoader } from '@runner-console/emulator-kit';

export { ConfigError, type EmulatorConfig } from '@runner-console/emulator-kit';

/** BITBUCKET_DC_PORT (8087), BITBUCKET_DC_HOST, BITBUCKET_DC_PUBLIC_URL, DATA_DIR (files in `bitbucket-dc-emulator/`), LOG_LEVEL. */
export const loadConfig = createEmulatorConfigLoader({ variablePrefix: 'BITBUCKET_DC', name: 'Bitbucket Data Center emulator', defaultPort: 8087 });
