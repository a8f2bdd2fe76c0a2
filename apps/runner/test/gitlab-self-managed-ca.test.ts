// A self-managed GitLab: an integration for a host other than gitlab.com, reached at
// https://{host}/api/v4 (the adapter's default endpoints, no override), served by the GitLab
// emulator over HTTPS with a certificate from a test certificate authority that the runner trusts
// only through its CA setting (EXTRA_CA_CERTS, applied as main.ts applies it). Before the setting,
// the runner's requests are refused; after it, OAuth, the token check, the context and git work.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import * as oauth from 'oauth4webapi';
import { BrowserClient, isRedirect, readInputs } from '@runner-console/emulator-kit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../gitlab-emulator/src/app.ts';
import { loadConfig } from '../src/config.ts';
import { cloneTargetFor } from '../src/git/clone-target.ts';
import { cloneWorkspace } from '../src/git/clone-workspace.ts';
import { applyExtraCaCertificates } from '../src/providers/extra-ca-certificates.ts';
import { gitlabAdapter, gitlabOAuthScopes } from '../src/providers/gitlab/adapter.ts';
import { endpointsFor } from '../src/providers/provider-endpoints.ts';
import { makeTestCertificates } from '../../../test-support/test-certificate-authority.ts';

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-gitlab-ca-'));
const CALLBACK = 'http://127.0.0.1:7999/oauth/callback';
let server: Server;
let emulator: Emulator;
let host: string;

let caFile: string;
const gitSslCaInfo = process.env.GIT_SSL_CAINFO;

beforeAll(async () => {
  // A machine whose environment names git's CA file (GIT_SSL_CAINFO, which outranks git's config):
  // the runner's bundle must still win for its clones.
  const systemRoots = path.join(dir, 'system-roots.pem');
  fs.writeFileSync(systemRoots, `${tls.rootCertificates.join('\n')}\n`);
  process.env.GIT_SSL_CAINFO = systemRoots;
  const { caFile: ca, key, cert } = await makeTestCertificates(dir);
  caFile = ca;
  server = createServer({ key, cert });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `localhost:${(server.address() as AddressInfo).port}`;
  emulator = createEmulator({ dataDir: path.join(dir, 'emulator'), publicUrl: `https://${host}` });
  server.on('request', emulator.app);
}, 30_000);

afterAll(async () => {
  if (gitSslCaInfo === undefined) delete process.env.GIT_SSL_CAINFO;
  else process.env.GIT_SSL_CAINFO = gitSslCaInfo;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function testApi(pathName: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`https://${host}/_emulator/${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(201);
  return (await response.json()) as Record<string, string>;
}

it('reaches a self-managed GitLab over HTTPS only once its CA is in EXTRA_CA_CERTS: OAuth, a token, the subgroup project and git', async () => {
  const token = 'r'.repeat(43);
  const integration = { provider: 'gitlab' as const, host };
  // Without the setting: no override, the adapter's https://{host}/api/v4, and a certificate nobody vouches for.
  const untrusted = endpointsFor(loadConfig({ RUNNER_TOKEN: token }), integration);
  expect(untrusted).toMatchObject({ siteUrl: `https://${host}`, apiUrl: `https://${host}/api/v4` });
  const refused = await gitlabAdapter.checkPersonalAccessToken({ endpoints: untrusted, token: 'glpat-aaaaaaaaaaaaaaaaaaaa', email: null, expiresOn: null, fetch });
  expect(refused).toMatchObject({ ok: false, code: 'provider_unreachable' });

  // The runner's CA setting, applied as the runner applies it at start.
  const config = loadConfig({ RUNNER_TOKEN: token, EXTRA_CA_CERTS: caFile, RUNNER_DATA_DIR: path.join(dir, 'runner') });
  const caBundleFile = applyExtraCaCertificates(config.extraCaCerts!, path.join(dir, 'runner'));
  const endpoints = endpointsFor(config, integration);
  expect(endpoints.requestOptions).toEqual({});

  // OAuth with PKCE against the self-managed host's /oauth/authorize and /oauth/token.
  const app = await testApi('applications', { name: 'Runner Console', redirectUri: CALLBACK, scopes: gitlabOAuthScopes(), confidential: true });
  const as = endpoints.authorizationServer;
  const client = { client_id: app.applicationId! };
  const verifier = oauth.generateRandomCodeVerifier();
  const authorize = new URL(as.authorization_endpoint!);
  for (const [name, value] of Object.entries({ client_id: app.applicationId!, response_type: 'code', redirect_uri: CALLBACK, state: 'ca', code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256', ...gitlabAdapter.authorizeParameters() })) {
    authorize.searchParams.set(name, value);
  }
  const browser = new BrowserClient(`https://${host}`);
  let response = await browser.followRedirects(await browser.get(authorize.href));
  for (let step = 0; step < 3 && !isRedirect(response); step++) {
    const page = await response.text();
    const fields = Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
    response = page.includes('name="password"')
      ? await browser.followRedirects(await browser.postForm('/users/sign_in', { ...fields, login: 'alice', password: 'alice' }))
      : await browser.followRedirects(await browser.postForm('/oauth/authorize', { ...fields, decision: 'grant' }));
  }
  const callback = new URL(response.headers.get('location') ?? '');
  const params = oauth.validateAuthResponse(as, client, callback, 'ca');
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, gitlabAdapter.clientAuthentication(app.secret!), params, CALLBACK, verifier, endpoints.requestOptions),
  );
  const call = { endpoints, authorization: gitlabAdapter.restAuthorization({ kind: 'oauth', accessToken: tokens.access_token, loginEmail: null }), fetch };
  expect(await gitlabAdapter.whoAmI(call)).toMatchObject({ username: 'alice', email: 'alice@acme.test' });

  // A personal access token, and the subgroup project's merge request, cloned over HTTPS with the runner's bundle.
  const pat = await testApi('personal-access-tokens', { username: 'alice', scopes: gitlabOAuthScopes() });
  expect(await gitlabAdapter.checkPersonalAccessToken({ endpoints, token: pat.token!, email: null, expiresOn: null, fetch })).toMatchObject({ ok: true, account: { username: 'alice' } });
  const resolved = await gitlabAdapter.resolveContext({
    call,
    context: { provider: 'gitlab', host, repositoryPath: ['acme', 'platform', 'tools'], owner: 'acme/platform', repo: 'tools', kind: 'pullRequest', pullRequestId: 1 },
    accountName: 'Alice',
    cloneUrlFor: (repositoryPath) => gitlabAdapter.cloneUrl(endpoints.siteUrl, repositoryPath),
  });
  expect(resolved).toMatchObject({ owner: 'acme/platform', repo: 'tools', ref: 'feature/lint', cloneUrl: `https://${host}/acme/platform/tools.git` });
  const workspaceDir = path.join(dir, 'workspace');
  await cloneWorkspace({ workspaceDir, target: cloneTargetFor(endpoints, resolved), author: { name: 'Alice', email: 'alice@acme.test' }, accessToken: tokens.access_token, gitUsername: gitlabAdapter.gitUsername({ kind: 'oauth', accessToken: tokens.access_token, loginEmail: null }), caBundleFile });
  expect((await run('git', ['rev-parse', 'HEAD'], { cwd: workspaceDir })).stdout.trim()).toBe(resolved.commit);

  // Without the bundle git refuses the same server: the trust is the setting's, not the system's.
  await expect(run('git', ['ls-remote', `https://${host}/acme/platform/tools.git`], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: dir } })).rejects.toMatchObject({ stderr: expect.stringMatching(/certificate|SSL/i) });
}, 60_000);
