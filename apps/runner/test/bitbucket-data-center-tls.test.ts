// Bitbucket Data Center at a company's host, behind the company's own certificate authority:
// the emulator serves HTTPS with a certificate from a test CA, which the runner trusts only through
// its CA setting (EXTRA_CA_CERTS, applied by applyExtraCaCertificates), for REST and for git. And
// the Data Center integration's client secret, sealed for bitbucket.acme.test, opens for no other host.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import { freePort } from '../../../test-support/free-port.ts';
import { makeTestCertificates } from '../../../test-support/test-certificate-authority.ts';
import { createIntegrationRegistry } from '../src/integrations/integration-registry.ts';
import { loadRunnerKeyring } from '../src/keys/runner-keys.ts';
import { bitbucketDataCenterAdapter as adapter } from '../src/providers/bitbucket-data-center/adapter.ts';
import { applyExtraCaCertificates } from '../src/providers/extra-ca-certificates.ts';
import { ProviderApiError, type ProviderCall, type ProviderEndpoints } from '../src/providers/provider-adapter.ts';

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HOST = 'bitbucket.acme.test';

describe('the Data Center client secret is bound to its host', () => {
  it('opens an envelope sealed for bitbucket.acme.test for that host only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bbdc-keys-'));
    try {
      const keyring = await loadRunnerKeyring(dir);
      const registry = createIntegrationRegistry(keyring);
      registry.setRunnerId('runner-1');
      const envelope = await sealClientSecret({ secret: 'link-secret', publicJwk: keyring.current.publicJwk, runnerId: 'runner-1', host: HOST });
      const integration = (host: string) => ({ id: 'dc', provider: 'bitbucket-data-center' as const, host, oauthEnabled: true, clientId: 'client', clientSecretEnvelope: envelope });
      expect(await registry.openSecret(integration(HOST))).toBe('link-secret');
      // A compromised BFF moving the envelope to a host whose token endpoint it controls gets nothing.
      for (const other of ['bitbucket.acme.test:8443', 'evil.acme.test', 'bitbucket.acme.test.evil.example', 'bitbucket.org', 'acme.test', 'localhost']) {
        await expect(registry.openSecret(integration(other)), other).rejects.toMatchObject({ code: 'secret_refused' });
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTPS with a company certificate authority', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bbdc-tls-'));
  const file = (name: string) => path.join(dir, name);
  let child: ChildProcess;
  let site: string;
  let caPem: string;
  let token: string;

  beforeAll(async () => {
    // A test CA and a server certificate for localhost, signed by it (openssl, as an admin would).
    const certificates = await makeTestCertificates(dir, 'Acme Test Root CA');
    caPem = certificates.caPem;

    const port = await freePort();
    site = `https://localhost:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: file('data'), BITBUCKET_DC_PORT: String(port), BITBUCKET_DC_PUBLIC_URL: site, BITBUCKET_DC_TLS_CERT: certificates.certFile, BITBUCKET_DC_TLS_KEY: certificates.keyFile, LOG_LEVEL: 'warn' };
    delete env.NODE_EXTRA_CA_CERTS;
    child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/bitbucket-dc-emulator/src/server.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'] });
    // The test itself trusts the CA for its own set-up calls; the runner's code does not, yet.
    const trusted = new Agent({ connect: { ca: caPem } });
    const testFetch = (url: string, init: RequestInit = {}) => fetch(url, { ...init, dispatcher: trusted } as RequestInit);
    for (let i = 0; ; i++) {
      if (await testFetch(`${site}/_emulator/health`).then((r) => r.ok, () => false)) break;
      if (i > 300 || child.exitCode !== null) throw new Error('the emulator did not start with TLS');
      await new Promise((r) => setTimeout(r, 100));
    }
    const created = await testFetch(`${site}/_emulator/access-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', permissions: ['PROJECT_READ', 'REPO_WRITE'], expiryDays: 30 }) });
    token = ((await created.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const endpoints = (): ProviderEndpoints => ({
    provider: 'bitbucket-data-center',
    host: HOST,
    siteUrl: site,
    apiUrl: adapter.apiUrlForSite(site),
    authorizationServer: { issuer: site, authorization_endpoint: `${site}/rest/oauth2/latest/authorize`, token_endpoint: `${site}/rest/oauth2/latest/token` },
    // https only: no allowInsecureRequests.
    requestOptions: {},
  });
  const call = (): ProviderCall => ({ endpoints: endpoints(), authorization: adapter.restAuthorization({ kind: 'api_token', accessToken: token, loginEmail: null }), fetch });
  const lsRemote = (extra: string[]) =>
    run('git', ['-c', 'credential.helper=', ...extra, 'ls-remote', adapter.cloneUrl(site, ['ACME', 'widgets']).replace('https://', `https://x-token-auth:${encodeURIComponent(token)}@`), 'refs/heads/main'], {
      env: { PATH: process.env.PATH, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
    });

  it('refuses the server without the CA setting, then reaches it for REST and git with it', async () => {
    // Without EXTRA_CA_CERTS the company's certificate is not trusted: nothing is sent in the clear instead.
    const refused = await adapter.whoAmI(call()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ProviderApiError);
    expect((refused as ProviderApiError).code).toBe('provider_unreachable');
    await expect(lsRemote([])).rejects.toThrow(/certificate|SSL/i);

    // What the runner does at start with EXTRA_CA_CERTS (main.ts): trust it for fetch, and a bundle file for git.
    const bundle = applyExtraCaCertificates(caPem, path.join(dir, 'runner'));
    expect(await adapter.whoAmI(call())).toMatchObject({ name: 'Alice', username: 'alice', email: 'alice@acme.test' });
    const { stdout } = await lsRemote(['-c', `http.sslCAInfo=${bundle}`]);
    expect(stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main/);
  });
});
