import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';

/**
 * Trusts the company's own certificate authorities (EXTRA_CA_CERTS) besides the system's, for the
 * runner's requests to provider hosts (fetch goes through undici's global dispatcher) and for git
 * (http.sslCAInfo names one file, which replaces git's own bundle: so the file holds both).
 * Node's NODE_EXTRA_CA_CERTS does the first part too, but only when set before the process starts.
 * Answers the bundle file for git.
 */
export function applyExtraCaCertificates(pem: string, dataDir: string): string {
  const ca = [...tls.rootCertificates, pem];
  setGlobalDispatcher(new Agent({ connect: { ca } }));
  const file = path.join(dataDir, 'ca-bundle.pem');
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${ca.join('\n')}\n`, { mode: 0o644 });
  return file;
}
