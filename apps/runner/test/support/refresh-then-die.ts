// A runner process that refreshes a token and is killed (SIGKILL) the moment Bitbucket has answered,
// before the answer reaches the token store. Run by token-rotation.test.ts with `node --import tsx`.
import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import { loadConfig } from '../../src/config.ts';
import type { IntegrationRegistry } from '../../src/integrations/integration-registry.ts';
import { createLogger } from '../../src/logger.ts';
import { createAccessTokenProvider } from '../../src/tokens/access-token-provider.ts';
import { createTokenCipher } from '../../src/tokens/token-cipher.ts';
import { createTokenStore } from '../../src/tokens/token-store.ts';

const { EMULATOR_URL = '', STORE_DIR = '', CONSUMER_KEY = '', CONSUMER_SECRET = '' } = process.env;
const config = loadConfig({ RUNNER_TOKEN: 'rct_test_token_for_rotation_tests', BITBUCKET_URL: EMULATOR_URL, BITBUCKET_API_URL: EMULATOR_URL, DATA_DIR: STORE_DIR });
const integration = { id: 'int-1', provider: 'bitbucket' as const, host: 'bitbucket.org', clientId: CONSUMER_KEY, oauthEnabled: true } as RunnerIntegrationConfig;
const registry = { openSecret: async () => CONSUMER_SECRET } as unknown as IntegrationRegistry;
const store = createTokenStore(STORE_DIR, createTokenCipher(STORE_DIR));
const tokens = createAccessTokenProvider({
  config,
  store,
  registry,
  log: createLogger('silent'),
  afterRefreshAnswered: () => process.kill(process.pid, 'SIGKILL'),
});
await tokens.getToken('u1', integration);
// Not reached: the process died above.
process.exit(3);
