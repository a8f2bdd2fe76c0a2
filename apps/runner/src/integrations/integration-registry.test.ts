import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunnerKeyPair, sealClientSecret } from '@runner-console/envelope';
import { loadRunnerKeyring } from '../keys/runner-keys.ts';
import { createIntegrationRegistry, IntegrationError } from './integration-registry.ts';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-runner-keys-'));
  const keyring = await loadRunnerKeyring(dir);
  const registry = createIntegrationRegistry(keyring);
  registry.setRunnerId('runner-1');
  return { dir, keyring, keys: keyring.current, registry };
}

const integration = (id: string, host: string, envelope: string) => ({ id, provider: 'bitbucket' as const, host, oauthEnabled: true, clientId: 'key', clientSecretEnvelope: envelope });

describe('the runner opens a client secret only for the integration it was sealed for', () => {
  it('keeps its private key in a 0600 file and reuses it on the next start', async () => {
    const { dir, keys } = await setup();
    const file = path.join(dir, 'runner-key.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect((await loadRunnerKeyring(dir)).current.kid).toBe(keys.kid);
  });

  it('opens a secret sealed to this runner, key and host', async () => {
    const { keys, registry } = await setup();
    const envelope = await sealClientSecret({ secret: 's3cret', publicJwk: keys.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    expect(await registry.openSecret(integration('a', 'bitbucket.org', envelope))).toBe('s3cret');
  });

  it('refuses a ciphertext moved to an integration with another host', async () => {
    const { keys, registry } = await setup();
    const envelope = await sealClientSecret({ secret: 's3cret', publicJwk: keys.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    await expect(registry.openSecret(integration('b', 'gitlab.com', envelope))).rejects.toMatchObject({ code: 'secret_refused' });
  });

  it('refuses a ciphertext sealed for another runner', async () => {
    const { keys, registry } = await setup();
    const envelope = await sealClientSecret({ secret: 's3cret', publicJwk: keys.publicJwk, runnerId: 'runner-2', host: 'bitbucket.org' });
    await expect(registry.openSecret(integration('a', 'bitbucket.org', envelope))).rejects.toBeInstanceOf(IntegrationError);
  });

  it('after a rotation, still opens secrets sealed to the earlier key, and seals new ones to the new key', async () => {
    const { dir, keyring, keys, registry } = await setup();
    const before = await sealClientSecret({ secret: 'old', publicJwk: keys.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    const next = await keyring.rotate();
    expect(next.kid).not.toBe(keys.kid);
    expect((await loadRunnerKeyring(dir)).current.kid).toBe(next.kid);
    expect(await registry.openSecret(integration('a', 'bitbucket.org', before))).toBe('old');
    const after = await sealClientSecret({ secret: 'new', publicJwk: next.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    expect(await registry.openSecret(integration('a', 'bitbucket.org', after))).toBe('new');
  });

  it('asks for the secret again when it was sealed to a key this runner does not have', async () => {
    const { registry } = await setup();
    const old = await createRunnerKeyPair();
    const envelope = await sealClientSecret({ secret: 's3cret', publicJwk: old.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    await expect(registry.openSecret(integration('a', 'bitbucket.org', envelope))).rejects.toMatchObject({ code: 'needs_new_secret' });
  });

  it('refuses before it knows which runner it is', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-runner-keys-'));
    const keyring = await loadRunnerKeyring(dir);
    const envelope = await sealClientSecret({ secret: 's3cret', publicJwk: keyring.current.publicJwk, runnerId: 'runner-1', host: 'bitbucket.org' });
    await expect(createIntegrationRegistry(keyring).openSecret(integration('a', 'bitbucket.org', envelope))).rejects.toMatchObject({ code: 'not_registered' });
  });
});
