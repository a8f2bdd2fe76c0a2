import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway certificate authority and a server certificate it signed, as files in `dir`. */
export interface TestCertificates {
  /** The CA's certificate (PEM file): what a company hands its runners (EXTRA_CA_CERTS). */
  caFile: string;
  caPem: string;
  /** The server's certificate and key (PEM files), for localhost and 127.0.0.1. */
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/**
 * A test CA and a server certificate for localhost signed by it, made with openssl as an admin
 * would (P-256 keys, valid two days), for the self-managed-host tests: a provider's server behind a
 * company CA that only the runner's CA setting trusts. Node has no certificate generation, and
 * openssl is on every Debian machine (`.ci/run` installs it where it is missing).
 */
export async function makeTestCertificates(dir: string, caName = 'Runner Console test CA'): Promise<TestCertificates> {
  const file = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await openssl(['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', `/CN=${caName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  await openssl(['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost']);
  fs.writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  await openssl(['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext')]);
  return {
    caFile: file('ca.pem'),
    caPem: fs.readFileSync(file('ca.pem'), 'utf8'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
  };
}
