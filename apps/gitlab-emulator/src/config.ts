import { createEmulatorConfigLoader } from '@runner-console/emulator-kit';

export { ConfigError, type EmulatorConfig } from '@runner-console/emulator-kit';

/** GITLAB_PORT (8084), GITLAB_HOST, GITLAB_PUBLIC_URL, DATA_DIR (files in `gitlab-emulator/`), LOG_LEVEL. */
export const loadConfig = createEmulatorConfigLoader({ variablePrefix: 'GITLAB', name: 'GitLab emulator', defaultPort: 8084 });
