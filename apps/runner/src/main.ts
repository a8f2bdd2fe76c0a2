import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CommitConnectParams,
  CountApiTokensParams,
  DiscardConnectParams,
  CheckAuthenticationParams,
  ConfigureRunnerParams,
  CreateWorkspaceParams,
  DeleteTokenParams,
  ListTokensParams,
  ParseContextParams,
  ValidateCandidateParams,
  ValidateIntegrationParams,
} from '@runner-console/contracts';
import { EnvironmentUpdateParams, DeleteWorkspaceParams, DeleteTokensForIntegrationParams, EraseUserConnectionsParams, RevokeConnectionParams } from '@runner-console/contracts';
import { helpText, loadConfig, readFlags } from './config.ts';
import { createLogger } from './logger.ts';
import { loadRunnerKeyring } from './keys/runner-keys.ts';
import { createBffLink, LinkCallError, stoppedForGoodMessage } from './link/bff-link.ts';
import { createPublicApp } from './http/public-server.ts';
import { runnerVersion } from './version.ts';
import { createIntegrationRegistry, IntegrationError } from './integrations/integration-registry.ts';
import { validateClientCredentials } from './oauth/validate-client-credentials.ts';
import { ConnectError, createConnectFlows } from './oauth/connect-flows.ts';
import { createTokenCipher } from './tokens/token-cipher.ts';
import { createTokenStore } from './tokens/token-store.ts';
import { createAccessTokenProvider } from './tokens/access-token-provider.ts';
import { ContextError, createContextParser } from './context/parse-context.ts';
import { cloneWorkspace } from './git/clone-workspace.ts';
import { cloneTargetFor } from './git/clone-target.ts';
import { endpointsFor, providerSitesOf } from './providers/provider-endpoints.ts';
import { adapterFor } from './providers/provider-registry.ts';
import { applyExtraCaCertificates } from './providers/extra-ca-certificates.ts';
import { removeAllWorkspaces, removeWorkspace, workspaceDirOf } from './git/remove-workspace.ts';
import { createEnvironmentCredentials } from './git/environment-credentials.ts';
import { gitCredentialSocketPath, startGitCredentialServer } from './git/git-credential-server.ts';
import { createGitCredentialResolver } from './git/resolve-git-credentials.ts';
import { ApiTokenRefusal, createApiTokenConnector, reauthorizeReasonOf } from './tokens/connect-api-token.ts';
import { ConnectionNotFoundError, createConnectionAdmin } from './tokens/connection-admin.ts';
import { createRevokeAtProvider } from './tokens/revoke-at-provider.ts';
import { runSealSecret } from './seal-secret-command.ts';

/** Exit status when the runner's token no longer works (sysexits EX_CONFIG): systemd's
 * RestartPreventExitStatus=78 stops restarting a runner that cannot connect again. */
const exitTokenRevoked = 78;


async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === 'seal-secret') {
    // A tool for automation, not the runner: it seals a client secret and exits (seal-secret-command.ts).
    process.exitCode = await runSealSecret(argv.slice(1), {
      stdin: process.stdin,
      stdinIsTty: process.stdin.isTTY === true,
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
    return;
  }
  const flags = readFlags(argv);
  if (flags.help) {
    process.stdout.write(helpText());
    return;
  }
  if (flags.version) {
    process.stdout.write(`${runnerVersion}\n`);
    return;
  }
  const config = loadConfig(process.env, argv);
  const log = createLogger(config.logLevel);
  // The company's own certificate authorities, for provider hosts they sign (fetch and git).
  const caBundleFile = config.extraCaCerts ? applyExtraCaCertificates(config.extraCaCerts, config.dataDir) : null;
  const keyring = await loadRunnerKeyring(config.dataDir);
  const tokenStore = createTokenStore(config.dataDir, createTokenCipher(config.dataDir));
  const registry = createIntegrationRegistry(keyring);
  const accessTokens = createAccessTokenProvider({ config, store: tokenStore, registry, log });
  const parseContext = createContextParser({ config, registry, tokens: accessTokens });
  // Environments' git credential helpers ask for the user's current token over this local socket.
  const environmentCredentials = createEnvironmentCredentials({ dataDir: config.dataDir, socketPath: gitCredentialSocketPath(config.dataDir) });
  const gitCredentialServer = await startGitCredentialServer({
    socketPath: gitCredentialSocketPath(config.dataDir),
    environments: environmentCredentials,
    credentialsFor: createGitCredentialResolver({ config, registry, tokens: accessTokens }),
    log,
  });

  // Clones under way, so that removing a workspace waits for its clone instead of racing it (a clone
  // finishing after the folder was removed would leave it behind).
  const clones = new Map<string, Promise<void>>();
  const cloneSettled = (environmentId: string) => clones.get(environmentId) ?? Promise.resolve();
  const connectApiToken = createApiTokenConnector({ config, registry, keyring, store: tokenStore, log });
  const revokeAtProvider = createRevokeAtProvider({ config, registry, log });
  const connectionAdmin = createConnectionAdmin({ store: tokenStore, revokeAtProvider, log });

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
    hello: () => ({ type: 'hello', version: runnerVersion, region: config.region, publicUrl, publicKey: keyring.current.publicJwk, providerSites: providerSitesOf(config) }),
    onWelcome: (welcome) => registry.setRunnerId(welcome.runnerId),
    onRevoked: (reason, code) => {
      log.error(stoppedForGoodMessage(reason, code));
      void stop(exitTokenRevoked);
    },
    handlers: {
      ping: async () => ({ version: runnerVersion }),
      // Connect's last step: the BFF confirmed (or refused) the user of the browser the callback reached.
      commitConnect: async (params) => {
        const { flowId, userId, confirmSecret } = CommitConnectParams.parse(params);
        try {
          return flows.commit(flowId, userId, confirmSecret);
        } catch (err) {
          if (err instanceof ConnectError) throw new LinkCallError(err.failureCode, err.message);
          throw err;
        }
      },
      discardConnect: async (params) => flows.discard(DiscardConnectParams.parse(params).flowId, 'the browser was not signed in as the user who started Connect'),
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
      countTokens: async () => ({ tokens: tokenStore.count() }),
      // The runner was deleted in Runner Console: every developer's token and every workspace goes.
      eraseAll: async () => {
        const tokens = tokenStore.reconcile([]);
        registry.replace([]);
        await Promise.all([...clones.values()]);
        const workspaces = await removeAllWorkspaces(config.dataDir);
        fs.rmSync(environmentCredentials.root, { recursive: true, force: true });
        fs.mkdirSync(environmentCredentials.root, { recursive: true, mode: 0o700 });
        log.warn({ tokens, workspaces }, 'this runner was deleted in Runner Console: erased its tokens and workspaces');
        return { tokens, workspaces };
      },
      deleteWorkspace: async (params) => {
        const { environmentId } = DeleteWorkspaceParams.parse(params);
        await cloneSettled(environmentId);
        const removed = await removeWorkspace(config.dataDir, environmentId);
        environmentCredentials.forget(environmentId);
        log.info({ environmentId, removed }, 'workspace removed');
        return { removed };
      },
      deleteTokensForIntegration: async (params) => {
        const { integrationId, kind } = DeleteTokensForIntegrationParams.parse(params);
        return { deleted: tokenStore.deleteByIntegration(integrationId, kind) };
      },
      countApiTokens: async (params) => ({ count: tokenStore.countByIntegration(CountApiTokensParams.parse(params).integrationId, 'api_token') }),
      connectApiToken: async (params) => {
        try {
          return await connectApiToken(params);
        } catch (err) {
          // Only the code and the message (which never holds the token) go back; nothing is logged.
          if (err instanceof ApiTokenRefusal) throw new LinkCallError(err.code, err.message);
          throw err;
        }
      },
      // A configuration the BFF has not saved yet: checked with the same binding rules, then forgotten.
      validateCandidate: async (params) => {
        const { integration } = ValidateCandidateParams.parse(params);
        return validateClientCredentials(config, registry, integration, callbackUrl, { cacheSecret: false });
      },
      checkAuthentication: async (params) => {
        const { userId, host } = CheckAuthenticationParams.parse(params);
        const integration = registry.findByHost(host);
        const oauthAvailable = Boolean(integration?.oauthEnabled);
        const patAvailable = Boolean(integration?.patEnabled);
        if (!integration || (!oauthAvailable && !patAvailable)) return { integrationAvailable: false, authenticated: false, accountName: null, reauthorizeReason: null, oauthAvailable, patAvailable };
        const token = tokenStore.findSummary(userId, integration.id);
        // An API token past its expiry date needs a new one now, not at its next failed use.
        const reauthorizeReason = token ? reauthorizeReasonOf(token, integration.provider) : null;
        return {
          integrationAvailable: true,
          authenticated: Boolean(token && reauthorizeReason === null),
          accountName: token?.accountName ?? null,
          reauthorizeReason,
          oauthAvailable,
          patAvailable,
          apiTokenCreateUrl: patAvailable ? adapterFor(integration.provider).apiTokenCreateUrl(endpointsFor(config, integration).siteUrl) : null,
          method: token?.kind ?? null,
          expiresAt: token?.kind === 'api_token' ? token.expiresAt : null,
        };
      },
      listTokens: async (params) => {
        const { userId } = ListTokensParams.parse(params);
        const providerOf = (integrationId: string) => registry.get(integrationId)?.provider;
        return {
          tokens: tokenStore.listSummariesByUser(userId).map((t) => ({
            id: t.id,
            host: t.host,
            integrationId: t.integrationId,
            method: t.kind,
            accountName: t.accountName,
            accountUsername: t.accountUsername,
            email: t.email,
            scopes: t.scopes,
            expiresAt: t.expiresAt,
            needsReauthorization: reauthorizeReasonOf(t, providerOf(t.integrationId)) !== null,
            reauthorizeReason: reauthorizeReasonOf(t, providerOf(t.integrationId)),
            connectedAt: t.connectedAt,
          })),
        };
      },
      deleteToken: async (params) => {
        const { userId, tokenId } = DeleteTokenParams.parse(params);
        const summary = tokenStore.listSummariesByUser(userId).find((t) => t.id === tokenId);
        const token = summary ? tokenStore.find(userId, summary.integrationId) : undefined;
        if (!tokenStore.deleteForUser(userId, tokenId)) throw new LinkCallError('not_found', 'That connection no longer exists.');
        // Deleted here first; then, where the provider has an endpoint for it, the grant is revoked
        // there too (best effort: a provider that cannot be reached does not undo the Disconnect).
        if (token) await revokeAtProvider(token).catch((err: Error) => log.warn({ err: err.message, tokenId }, 'could not revoke the grant at the provider'));
        return { deleted: 1 };
      },
      // Runner › Connections: every developer's connection, as summaries (never a token).
      listConnections: async () => connectionAdmin.listConnections(),
      revokeConnection: async (params) => {
        try {
          return await connectionAdmin.revokeConnection(RevokeConnectionParams.parse(params).tokenId);
        } catch (err) {
          if (err instanceof ConnectionNotFoundError) throw new LinkCallError(err.code, err.message);
          throw err;
        }
      },
      // Offboarding: a removed member's tokens go, also when the BFF delivers it late (on reconnect).
      eraseUserConnections: async (params) => connectionAdmin.eraseUserConnections(EraseUserConnectionsParams.parse(params).userId),
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
        const workspaceDir = workspaceDirOf(config.dataDir, environmentId);
        // Answer at once; progress goes back to the BFF as environment updates.
        const clone = (async () => {
          const report = (phase: 'cloning' | 'ready' | 'failed', message: string | null) =>
            link.request('environmentUpdate', EnvironmentUpdateParams.parse({ environmentId, phase, message, workspacePath: workspaceDir })).catch((err) => log.warn({ err: (err as Error).message }, 'environment update not delivered'));
          await report('cloning', null);
          try {
            const integration = registry.findByHost(context.host);
            if (!integration) throw new Error('The integration for this host was removed.');
            // The URL comes from this runner's own endpoints for the host; the BFF's clone URL is
            // only compared with it. Owner, repo, ref and commit are checked before git starts.
            const adapter = adapterFor(integration.provider);
            const target = cloneTargetFor(endpointsFor(config, integration), context, adapter.cloneUrl);
            const token = await accessTokens.getToken(userId, integration);
            const { helperPath } = environmentCredentials.register({
              environmentId,
              userId,
              integrationId: integration.id,
              host: integration.host,
              gitHost: target.remote.host,
              gitProtocol: target.remote.protocol,
            });
            await cloneWorkspace({
              workspaceDir,
              target,
              // The git author is the token's own account, not what the BFF says it is.
              author: { name: token.accountName, email: token.email },
              accessToken: token.accessToken,
              gitUsername: adapter.gitUsername(token),
              credentialHelper: helperPath,
              caBundleFile,
            });
            log.info({ environmentId, ref: context.ref }, 'workspace ready');
            await report('ready', `Cloned ${context.owner}/${context.repo} at ${context.ref}.`);
          } catch (err) {
            log.warn({ environmentId, err: (err as Error).message }, 'workspace failed');
            await report('failed', (err as Error).message);
          }
        })().finally(() => clones.delete(environmentId));
        clones.set(environmentId, clone);
        return { accepted: true };
      },
    },
  });

  const flows = createConnectFlows({ config, log, link, registry, tokens: tokenStore, callbackUrl });
  server.on('request', createPublicApp({ flows, publicUrl: () => publicUrl, log }));
  log.info({ publicUrl, kid: keyring.current.kid }, `runner listening on ${publicUrl}`);
  link.start();

  let stopping = false;
  async function stop(code = 0) {
    if (stopping) return;
    stopping = true;
    await link.stop();
    await gitCredentialServer.close();
    server.closeAllConnections();
    server.close();
    tokenStore.close();
    process.exit(code);
  }
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`Runner failed to start: ${err.message}`);
  process.exit(1);
});
