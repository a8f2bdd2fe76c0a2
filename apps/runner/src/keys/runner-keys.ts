import fs from 'node:fs';
import path from 'node:path';
import { importJWK, type JWK } from 'jose';
import { createRunnerKeyPair } from '@runner-console/envelope';

export type RunnerPublicJwk = { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string };

export interface RunnerKeys {
  kid: string;
  publicJwk: RunnerPublicJwk;
  privateKey: CryptoKey;
}

interface StoredPair {
  privateJwk: JWK;
  publicJwk: RunnerPublicJwk;
}

/** On disk: the current pair first, then earlier ones (kept so secrets sealed to them still open). */
interface KeyFile {
  version: 2;
  pairs: StoredPair[];
}

const keyFileName = 'runner-key.json';
/** How many earlier keys stay usable after a rotation, until their integrations are re-sealed. */
const keptPreviousKeys = 3;

/**
 * The runner's P-256 key pairs: made on first start, kept in its data folder with mode 0600. The
 * private keys never leave this process or that file. Rotation makes a new current key; earlier keys
 * still open the secrets sealed to them until an admin re-enters those secrets.
 */
export async function loadRunnerKeyring(dataDir: string) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, keyFileName);
  let stored: KeyFile;
  if (fs.existsSync(file)) {
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as KeyFile | StoredPair;
    // Version 1 held one pair.
    stored = 'pairs' in raw ? raw : { version: 2, pairs: [raw] };
    fs.chmodSync(file, 0o600);
  } else {
    stored = { version: 2, pairs: [(await createRunnerKeyPair()) as unknown as StoredPair] };
    write(file, stored);
  }

  async function toKeys(pair: StoredPair): Promise<RunnerKeys> {
    const privateKey = (await importJWK({ ...pair.privateJwk, alg: 'ECDH-ES' }, 'ECDH-ES')) as CryptoKey;
    return { kid: pair.publicJwk.kid, publicJwk: pair.publicJwk, privateKey };
  }

  let keys = await Promise.all(stored.pairs.map(toKeys));

  return {
    get current(): RunnerKeys {
      return keys[0]!;
    },
    /** The private key for a kid this runner holds, current or earlier. */
    find(kid: string): RunnerKeys | undefined {
      return keys.find((k) => k.kid === kid);
    },
    async rotate(): Promise<RunnerKeys> {
      const pair = (await createRunnerKeyPair()) as unknown as StoredPair;
      stored = { version: 2, pairs: [pair, ...stored.pairs].slice(0, keptPreviousKeys + 1) };
      write(file, stored);
      keys = await Promise.all(stored.pairs.map(toKeys));
      return keys[0]!;
    },
  };
}
export type RunnerKeyring = Awaited<ReturnType<typeof loadRunnerKeyring>>;

/** Write through a temporary file and rename, so a crash never leaves half a key file. */
function write(file: string, content: KeyFile) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(content), { mode: 0o600 });
  fs.renameSync(tmp, file);
}
