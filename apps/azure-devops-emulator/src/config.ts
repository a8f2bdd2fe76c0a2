import { createEmulatorConfigLoader } from '@runner-console/emulator-kit';

export { ConfigError, type EmulatorConfig } from '@runner-console/emulator-kit';

/** AZURE_DEVOPS_PORT (8085), AZURE_DEVOPS_HOST, AZURE_DEVOPS_PUBLIC_URL, DATA_DIR (files in `azure-devops-emulator/`), LOG_LEVEL. */
export const loadDevOpsConfig = createEmulatorConfigLoader({ variablePrefix: 'AZURE_DEVOPS', name: 'Azure DevOps emulator', defaultPort: 8085 });

/** ENTRA_PORT (8086), ENTRA_HOST, ENTRA_PUBLIC_URL: the Microsoft Entra ID stand-in beside it. */
export const loadEntraConfig = createEmulatorConfigLoader({ variablePrefix: 'ENTRA', name: 'Entra ID emulator', defaultPort: 8086 });
