import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import type { Logger } from '../logger.ts';
import type { RunnerLinkServer } from '../runner-link/link-server.ts';
import type { ScmIntegrationsStore } from '../store/scm-integrations-store.ts';

/**
 * Keep each runner's configuration current: on connect and after every change the BFF pushes the
 * runner's integrations (sealed secrets included; only the runner can open them) over the link.
 */
export function createRunnerConfigPush(deps: { store: ScmIntegrationsStore; link: () => RunnerLinkServer; log: Logger }) {
  async function buildConfig(runnerId: string): Promise<RunnerIntegrationConfig[]> {
    const rows = await deps.store.listForRunnerConfig(runnerId);
    return rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      host: r.host,
      oauthEnabled: r.oauth_enabled === 1,
      patEnabled: r.pat_enabled === 1,
      clientId: r.client_id,
      clientSecretEnvelope: r.secret_envelope,
      issuerUrl: r.issuer_url,
      virtualDirectory: r.virtual_directory,
    }));
  }

  /** Resolves once the runner has applied it; a runner that is offline gets it when it reconnects. */
  async function push(runnerId: string): Promise<boolean> {
    const conn = deps.link().connectionOf(runnerId);
    if (!conn) return false;
    try {
      await conn.request('configure', { integrations: await buildConfig(runnerId) }, 5_000);
      return true;
    } catch (err) {
      deps.log.warn({ runnerId, err: (err as Error).message }, 'pushing configuration to the runner failed');
      return false;
    }
  }

  return { push, buildConfig };
}
export type RunnerConfigPush = ReturnType<typeof createRunnerConfigPush>;
