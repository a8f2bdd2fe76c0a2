import type { RunnerIntegrationConfig } from '@runner-console/contracts';
import { EnvelopeError, inspectEnvelope, openClientSecret } from '@runner-console/envelope';
import type { RunnerKeyring } from '../keys/runner-keys.ts';

export class IntegrationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The integrations the BFF configured for this runner, and the only place that opens their secrets.
 * The binding check happens before decryption: a ciphertext sealed for another runner, key or host is
 * refused, so it cannot be replayed into another integration.
 */
export function createIntegrationRegistry(keyring: RunnerKeyring) {
  let runnerId: string | undefined;
  let integrations = new Map<string, RunnerIntegrationConfig>();
  // Opened secrets, keyed by everything the binding check depends on (host and envelope; the runner
  // id and keys are this runner's own), so a busy runner does not repeat the ECDH for every flow.
  const opened = new Map<string, Promise<string>>();

  return {
    setRunnerId(id: string) {
      runnerId = id;
    },
    get runnerId() {
      return runnerId;
    },
    replace(list: RunnerIntegrationConfig[]) {
      integrations = new Map(list.map((i) => [i.id, i]));
      const live = new Set(list.map((i) => `${i.host}|${i.clientSecretEnvelope}`));
      for (const key of opened.keys()) if (!live.has(key)) opened.delete(key);
    },
    /** After a key rotation, or anything else that changes what may be opened. */
    forgetOpenedSecrets() {
      opened.clear();
    },
    list(): RunnerIntegrationConfig[] {
      return [...integrations.values()];
    },
    get(id: string): RunnerIntegrationConfig | undefined {
      return integrations.get(id);
    },
    findByHost(host: string): RunnerIntegrationConfig | undefined {
      return [...integrations.values()].find((i) => i.host === host);
    },
    async openSecret(integration: RunnerIntegrationConfig): Promise<string> {
      const key = `${integration.host}|${integration.clientSecretEnvelope}`;
      const cached = opened.get(key);
      if (cached) return cached;
      const opening = this.openSecretUncached(integration);
      opened.set(key, opening);
      opening.catch(() => opened.delete(key));
      return opening;
    },
    async openSecretUncached(integration: RunnerIntegrationConfig): Promise<string> {
      if (!runnerId) throw new IntegrationError('not_registered', 'The runner is not registered with the BFF yet.');
      if (!integration.clientSecretEnvelope) throw new IntegrationError('no_secret', 'This integration has no client secret. An admin must enter it.');
      try {
        // After a rotation, secrets sealed to an earlier key of this runner still open until re-entered.
        const sealedTo = keyring.find(inspectEnvelope(integration.clientSecretEnvelope).kid) ?? keyring.current;
        return await openClientSecret({
          envelope: integration.clientSecretEnvelope,
          privateKey: sealedTo.privateKey,
          expected: { runnerId, kid: sealedTo.kid, host: integration.host },
        });
      } catch (err) {
        if (err instanceof EnvelopeError) {
          const reentry = err.code === 'wrong_key';
          throw new IntegrationError(
            reentry ? 'needs_new_secret' : 'secret_refused',
            reentry
              ? "The client secret was encrypted to a key this runner no longer has. An admin must enter it again."
              : `The runner refused the client secret: ${err.message}`,
          );
        }
        throw err;
      }
    },
  };
}
export type IntegrationRegistry = ReturnType<typeof createIntegrationRegistry>;
