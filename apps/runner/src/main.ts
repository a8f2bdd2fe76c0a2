import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { loadOrCreateRunnerKeys } from './keys/runner-keys.ts';
import { createBffLink } from './link/bff-link.ts';
import { createPublicApp } from './http/public-server.ts';
import { runnerVersion } from './version.ts';
import { createIntegrationRegistry, IntegrationError } from './integrations/integration-registry.ts';
import { validateClientCredentials } from './oauth/validate-client-credentials.ts';
import { ConfigureRunnerParams, ValidateIntegrationParams } from '@runner-console/contracts';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const keys = await loadOrCreateRunnerKeys(config.dataDir);

  const app = createPublicApp();
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  log.info({ publicUrl, kid: keys.kid }, `runner listening on ${publicUrl}`);

  const registry = createIntegrationRegistry(keys);
  const callbackUrl = `${publicUrl}/oauth/callback`;

  const link = createBffLink({
    bffUrl: config.bffUrl,
    token: config.token,
    log,
    hello: () => ({ type: 'hello', version: runnerVersion, region: config.region, publicUrl, publicKey: keys.publicJwk }),
    onWelcome: (welcome) => registry.setRunnerId(welcome.runnerId),
    handlers: {
      ping: async () => ({ version: runnerVersion }),
      configure: async (params) => {
        registry.replace(ConfigureRunnerParams.parse(params).integrations);
        return { applied: registry.list().length };
      },
      validateIntegration: async (params) => {
        const { integrationId } = ValidateIntegrationParams.parse(params);
        const integration = registry.get(integrationId);
        if (!integration) throw new IntegrationError('not_found', 'This runner does not have that integration. Save it again.');
        return validateClientCredentials(config, registry, integration, callbackUrl);
      },
      deleteTokensForIntegration: async () => ({ deleted: 0 }),
    },
  });
  link.start();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await link.stop();
    server.closeAllConnections();
    server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`Runner failed to start: ${err.message}`);
  process.exit(1);
});
