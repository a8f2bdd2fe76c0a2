import path from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CheckAuthenticationParams,
  ConfigureRunnerParams,
  CreateWorkspaceParams,
  DeleteTokenParams,
  ListTokensParams,
  ParseContextParams,
  ValidateCandidateParams,
  ValidateIntegrationParams,
} from '@runner-console/contracts';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { loadRunnerKeyring } from './keys/runner-keys.ts';
import { createBffLink, LinkCallError } from './link/bff-link.ts';
import { createPublicApp } from './http/public-server.ts';
import { runnerVersion } from './version.ts';
import { createIntegrationRegistry, IntegrationError } from './integrations/integration-registry.ts';
import { validateClientCredentials } from './oauth/validate-client-credentials.ts';
import { createConnectFlows } from './oauth/connect-flows.ts';
import { createTokenCipher } from './tokens/token-cipher.ts';
import { createTokenStore } from './tokens/token-store.ts';
import { createAccessTokenProvider } from './tokens/access-token-provider.ts';
import { ContextError, createContextParser } from './context/parse-context.ts';
import { cloneWorkspace } from './git/clone-workspace.ts';

async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const keyring = await loadRunnerKeyring(config.dataDir);
  const tokenStore = createTokenStore(config.dataDir, createTokenCipher(config.dataDir));
  const registry = createIntegrationRegistry(keyring);
  const accessTokens = createAccessTokenProvider({ config, store: tokenStore, registry, log });
  const parseContext = createContextParser({ config, registry, tokens: accessTokens });

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const publicUrl = config.publicUrl ?? `http://localhost:${port}`;
  const callbackUrl = `${publicUrl}/oauth/callback`;

  const link = createBffLink({
    bffUrl: config.bffUrl,
    token: config.token,
    log,
    hello: () => ({ type: 'hello', version: runnerVersion, region: config.region, publicUrl, publicKey: keyring.current.publicJwk }),
    onWelcome: (welcome) => registry.setRunnerId(welcome.runnerId),
    handlers: {
      ping: async () => ({ version: runnerVersion }),
      rotateKey: async () => {
        const next = await keyring.rotate();
        registry.forgetOpenedSecrets();
        log.info({ kid: next.kid }, 'rotated the runner key; secrets sealed to earlier keys still open until re-entered');
        return { publicKey: next.publicJwk };
      },
      configure: async (params) => {
        const { integrations } = ConfigureRunnerParams.parse(params);
        registry.replace(integrations);
        const removed = tokenStore.reconcile(integrations);
        if (removed) log.info({ removed }, 'deleted tokens of removed or changed integrations');
        return { applied: integrations.length };
      },
      validateIntegration: async (params) => {
        const { integrationId } = ValidateIntegrationParams.parse(params);
        const integration = registry.get(integrationId);
        if (!integration) throw new IntegrationError('not_found', 'This runner does not have that integration. Save it again.');
        return validateClientCredentials(config, registry, integration, callbackUrl);
      },
      // A configuration the BFF has not saved yet: checked with the same binding rules, then forgotten.
      validateCandidate: async (params) => {
        const { integration } = ValidateCandidateParams.parse(params);
        return validateClientCredentials(config, registry, integration, callbackUrl, { cacheSecret: false });
      },
      deleteTokensForIntegration: async (params) => ({ deleted: tokenStore.deleteByIntegration(ValidateIntegrationParams.parse(params).integrationId) }),
      checkAuthentication: async (params) => {
        const { userId, host } = CheckAuthenticationParams.parse(params);
        const integration = registry.findByHost(host);
        if (!integration || !integration.oauthEnabled) return { integrationAvailable: false, authenticated: false, accountName: null, reauthorizeReason: null };
        const token = tokenStore.findSummary(userId, integration.id);
        return {
          integrationAvailable: true,
          authenticated: Boolean(token && !token.needsReauthorization),
          accountName: token?.accountName ?? null,
          reauthorizeReason: token?.needsReauthorization ? token.reauthorizeReason : null,
        };
      },
      listTokens: async (params) => {
        const { userId } = ListTokensParams.parse(params);
        return {
          tokens: tokenStore.listSummariesByUser(userId).map((t) => ({
            id: t.id,
            host: t.host,
            integrationId: t.integrationId,
            accountName: t.accountName,
            accountUsername: t.accountUsername,
            email: t.email,
            scopes: t.scopes,
            expiresAt: t.expiresAt,
            needsReauthorization: t.needsReauthorization,
            reauthorizeReason: t.reauthorizeReason,
            connectedAt: t.connectedAt,
          })),
        };
      },
      deleteToken: async (params) => {
        const { userId, tokenId } = DeleteTokenParams.parse(params);
        if (!tokenStore.deleteForUser(userId, tokenId)) throw new LinkCallError('not_found', 'That connection no longer exists.');
        return { deleted: 1 };
      },
      parseContext: async (params) => {
        const { userId, contextUrl } = ParseContextParams.parse(params);
        try {
          return (await parseContext(userId, contextUrl)).context;
        } catch (err) {
          if (err instanceof ContextError) throw new LinkCallError(err.code, err.message);
          throw err;
        }
      },
      createWorkspace: async (params) => {
        const { environmentId, userId, context } = CreateWorkspaceParams.parse(params);
        // Answer at once; progress goes back to the BFF as environment updates.
        void (async () => {
          const report = (phase: 'cloning' | 'ready' | 'failed', message: string | null) =>
            link.request('environmentUpdate', { environmentId, phase, message }).catch((err) => log.warn({ err: (err as Error).message }, 'environment update not delivered'));
          try {
            const integration = registry.findByHost(context.host);
            if (!integration) throw new Error('The integration for this host was removed.');
            const token = await accessTokens.getToken(userId, integration);
            const workspaceDir = path.join(config.dataDir, 'workspaces', environmentId);
            await cloneWorkspace({ workspaceDir, cloneUrl: context.cloneUrl, context, accessToken: token.accessToken });
            log.info({ environmentId, ref: context.ref }, 'workspace ready');
            await report('ready', `Cloned ${context.owner}/${context.repo} at ${context.ref}.`);
          } catch (err) {
            log.warn({ environmentId, err: (err as Error).message }, 'workspace failed');
            await report('failed', (err as Error).message);
          }
        })();
        return { accepted: true };
      },
    },
  });

  const flows = createConnectFlows({ config, log, link, registry, tokens: tokenStore, callbackUrl });
  server.on('request', createPublicApp({ flows, publicUrl: () => publicUrl, log }));
  log.info({ publicUrl, kid: keyring.current.kid }, `runner listening on ${publicUrl}`);
  link.start();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await link.stop();
    server.closeAllConnections();
    server.close();
    tokenStore.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`Runner failed to start: ${err.message}`);
  process.exit(1);
});
