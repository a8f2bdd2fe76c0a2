import { createEmulatorConfigLoader } from '@runner-console/emulator-kit';

export { ConfigError, type EmulatorConfig } from '@runner-console/emulator-kit';

/** GITHUB_PORT (8083), GITHUB_HOST, GITHUB_PUBLIC_URL, DATA_DIR (files in `github-emulator/`), LOG_LEVEL. */
export const loadConfig = createEmulatorConfigLoader({ variablePrefix: 'GITHUB', name: 'GitHub emulator', defaultPort: 8083 });
