import fs from 'node:fs';
import path from 'node:path';
import { importJWK, type JWK } from 'jose';
import { createRunnerKeyPair } from '@runner-console/envelope';

export interface RunnerKeys {
  kid: string;
  publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string };
  privateKey: CryptoKey;
}

const keyFileName = 'runner-key.json';

/**
 * The runner's P-256 key pair: made on first start, kept in its data folder with mode 0600.
 * The private key never leaves this process or that file.
 */
export async function loadOrCreateRunnerKeys(dataDir: string): Promise<RunnerKeys> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, keyFileName);
  let stored: { privateJwk: JWK; publicJwk: RunnerKeys['publicJwk'] };
  if (fs.existsSync(file)) {
    stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.chmodSync(file, 0o600);
  } else {
    stored = (await createRunnerKeyPair()) as typeof stored;
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(stored), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
  const privateKey = (await importJWK({ ...stored.privateJwk, alg: 'ECDH-ES' }, 'ECDH-ES')) as CryptoKey;
  return { kid: stored.publicJwk.kid, publicJwk: stored.publicJwk, privateKey };
}
