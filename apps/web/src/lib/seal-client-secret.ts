import { EnvelopeError, sealClientSecret as sealEnvelope } from '@runner-console/envelope';
import type { RunnerPublicJwkLike } from '@runner-console/envelope';

export type SealForRunnerInput = {
  /** The plaintext from the form. It goes nowhere but into the encryption below. */
  secret: string;
  /** The runner's current public key, from its configuration schema. */
  publicKey: RunnerPublicJwkLike;
  runnerId: string;
  /** The provider host the secret is for, e.g. `bitbucket.org`: the runner refuses it for any other. */
  host: string;
  /** A developer's personal access token is also bound to them (the envelope's `rc_uid`). */
  userId?: string;
};

/** A refusal the person can act on (the secret itself is unusable), as opposed to a bug. */
export class SealClientSecretError extends Error {
  override readonly name = 'SealClientSecretError';
}

/**
 * Encrypts the client secret in the browser to the runner's public key (JWE, ECDH-ES + A256GCM),
 * bound to the runner id, key id and host. Only the returned compact JWE is ever sent: the BFF
 * stores it as it is and only the runner holding the private key can open it.
 */
export async function sealClientSecret(input: SealForRunnerInput): Promise<string> {
  try {
    return await sealEnvelope({
      secret: input.secret,
      publicJwk: input.publicKey,
      runnerId: input.runnerId,
      host: input.host,
      ...(input.userId !== undefined ? { userId: input.userId } : {}),
    });
  } catch (error) {
    if (error instanceof EnvelopeError) {
      // A bad secret is the admin's to fix; a bad key or binding means the page must reload it.
      throw new SealClientSecretError(
        error.code === 'secret_invalid'
          ? error.message
          : "The runner's key could not be used. Close the dialog, open it again and re-enter the secret.",
        { cause: error },
      );
    }
    throw error;
  }
}
