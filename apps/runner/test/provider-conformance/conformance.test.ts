// The provider conformance suite: every runner adapter against its provider's emulator, with the
// same checks: OAuth (PKCE, errors, refresh, expiry), the personal access token check, context
// resolution, clone, push and revoke. A new provider adds one entry to `providers` (see
// provider-under-test.ts), never a copy of these tests.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderApiError, type ProviderAdapter, type ProviderCall, type TokenCredentials } from '../../src/providers/provider-adapter.ts';
import { providerAdapters } from '../../src/providers/provider-registry.ts';
import { azureDevopsUnderTest } from './azure-devops.ts';
import { bitbucketUnderTest } from './bitbucket.ts';
import { bitbucketDataCenterUnderTest } from './bitbucket-data-center.ts';
import { githubUnderTest } from './github.ts';
import { gitlabUnderTest } from './gitlab.ts';
import type { OAuthClientUnderTest, ProviderFixture, ProviderUnderTest } from './provider-under-test.ts';

const run = promisify(execFile);
const providers: readonly ProviderUnderTest[] = [githubUnderTest, gitlabUnderTest, bitbucketUnderTest, bitbucketDataCenterUnderTest, azureDevopsUnderTest].filter((entry) => entry !== null);
const CALLBACK = 'http://127.0.0.1:7999/oauth/callback';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

it('runs for every provider the runner has an adapter for', () => {
  expect(providers.map((entry) => entry.adapter.id).sort()).toEqual([...providerAdapters.keys()].sort());
});

describe.each(providers)('$name adapter against its emulator', ({ adapter, start, redirectMismatchFailure, capabilities }) => {
  let fixture: ProviderFixture;
  let plain: OAuthClientUnderTest;
  let refreshing: OAuthClientUnderTest;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-conformance-'));

  beforeAll(async () => {
    fixture = await start();
    plain = await fixture.createClient('plain', CALLBACK);
    refreshing = await fixture.createClient('refreshing', CALLBACK);
  }, 60_000);
  afterAll(async () => {
    await fixture?.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  const as = () => fixture.endpoints.authorizationServer;
  const options = () => ({ ...fixture.endpoints.requestOptions, signal: AbortSignal.timeout(10_000) });
  const callWith = (token: TokenCredentials): ProviderCall => ({ endpoints: fixture.endpoints, authorization: adapter.restAuthorization(token), fetch });
  const oauthToken = (accessToken: string): TokenCredentials => ({ kind: 'oauth', accessToken, loginEmail: null });

  /** The runner's authorize redirect, built from the adapter's parameters, and the browser's trip through the provider. */
  async function authorize(client: OAuthClientUnderTest, decision: 'grant' | 'cancel' = 'grant') {
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(as().authorization_endpoint!);
    url.searchParams.set('client_id', client.clientId);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('redirect_uri', CALLBACK);
    url.searchParams.set('state', 'conformance');
    for (const [name, value] of Object.entries(adapter.authorizeParameters())) url.searchParams.set(name, value);
    if (adapter.pkce) {
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set('code_challenge_method', 'S256');
    }
    return { callback: await fixture.authorize(url, decision), verifier };
  }

  async function exchange(client: OAuthClientUnderTest, callback: URL, verifier: string, overrides: { secret?: string; redirectUri?: string } = {}) {
    const params = oauth.validateAuthResponse(as(), { client_id: client.clientId }, callback, 'conformance');
    const response = await oauth.authorizationCodeGrantRequest(
      as(),
      { client_id: client.clientId },
      adapter.clientAuthentication(overrides.secret ?? client.clientSecret),
      params,
      overrides.redirectUri ?? CALLBACK,
      adapter.pkce ? verifier : oauth.nopkce,
      options(),
    );
    return oauth.processAuthorizationCodeResponse(as(), { client_id: client.clientId }, response);
  }

  async function connect(client: OAuthClientUnderTest) {
    const { callback, verifier } = await authorize(client);
    return exchange(client, callback, verifier);
  }

  /** What a flow does with a throw: the adapter reads it and says what it means. */
  async function refusalMeaning(promise: Promise<unknown>, step: 'exchange' | 'refresh') {
    const error = await promise.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error, 'the provider refused').toBeDefined();
    const refusal = await adapter.readOAuthRefusal(error);
    expect(refusal, 'the refusal is an OAuth answer the adapter reads').not.toBeNull();
    return { refusal: refusal!, meaning: adapter.describeOAuthRefusal(refusal!, step) };
  }

  describe('OAuth', () => {
    it('connects (with PKCE S256 where the provider takes it): the scopes the product asks for are granted and the account is the git author', async () => {
      const { callback, verifier } = await authorize(plain);
      expect(callback.searchParams.get('code')).toBeTruthy();
      const tokens = await exchange(plain, callback, verifier);
      const requested = (adapter.authorizeParameters().scope ?? '').split(/[\s,]+/).filter(Boolean);
      expect(adapter.grantedScopes(tokens)).toEqual(expect.arrayContaining(requested));
      const account = await adapter.whoAmI(callWith(oauthToken(tokens.access_token)));
      expect(account).toMatchObject(fixture.user.account);
      expect(account.id).toBeTruthy();
    });

    it.skipIf(!adapter.pkce)('refuses a code sent with another PKCE verifier, and the developer is told to Connect again', async () => {
      const { callback } = await authorize(plain);
      const { meaning } = await refusalMeaning(exchange(plain, callback, oauth.generateRandomCodeVerifier()), 'exchange');
      expect(meaning.failureCode).toBe('provider_error');
      expect(meaning.message).toMatch(/Connect again/);
    });

    it('refuses a code used twice', async () => {
      const { callback, verifier } = await authorize(plain);
      await exchange(plain, callback, verifier);
      const { meaning } = await refusalMeaning(exchange(plain, callback, verifier), 'exchange');
      expect(meaning.failureCode).toBe('provider_error');
    });

    it('tells the admin when the Client secret is wrong, at the exchange and at Validate', async () => {
      const { callback, verifier } = await authorize(plain);
      const { meaning } = await refusalMeaning(exchange(plain, callback, verifier, { secret: 'not-the-secret' }), 'exchange');
      expect(meaning.failureCode).toBe('invalid_client');
      expect(meaning.message).toMatch(/admin/i);

      const validate = async (secret: string) => {
        const params = oauth.validateAuthResponse(as(), { client_id: plain.clientId }, new URLSearchParams({ code: 'runner-console-credential-check' }), oauth.skipStateCheck);
        const response = await oauth.authorizationCodeGrantRequest(as(), { client_id: plain.clientId }, adapter.clientAuthentication(secret), params, CALLBACK, oauth.nopkce, options());
        return adapter.judgeClientCheck(await adapter.readOAuthRefusal(response), response.status);
      };
      expect((await validate('not-the-secret')).status).toBe('invalid_credentials');
      expect((await validate(plain.clientSecret)).status).toBe('valid');
    });

    it('names the callback URL when the redirect URI does not match', async () => {
      const { callback, verifier } = await authorize(plain);
      const { meaning } = await refusalMeaning(exchange(plain, callback, verifier, { redirectUri: 'http://127.0.0.1:7999/elsewhere' }), 'exchange');
      expect(meaning.failureCode).toBe(redirectMismatchFailure);
    });

    it('reads a cancelled consent as access_denied', async () => {
      // A client the user has not authorized yet, so the consent page is shown.
      const { callback } = await authorize(await fixture.createClient('plain', CALLBACK), 'cancel');
      const error = callback.searchParams.get('error');
      expect(error).toBe('access_denied');
      expect(adapter.describeOAuthRefusal({ status: 302, error: error!, description: null }, 'authorize').failureCode).toBe('access_denied');
    });

    it('refreshes an expired token with a rotating refresh token; the spent one reads as a possible lost race', async () => {
      const tokens = await connect(refreshing);
      const requested = (adapter.authorizeParameters().scope ?? '').split(/[\s,]+/).filter(Boolean);
      expect(adapter.grantedScopes(tokens), 'what the flow checks covers what the product needs').toEqual(expect.arrayContaining(requested));
      expect(tokens.refresh_token).toBeTruthy();
      expect(tokens.expires_in).toBeGreaterThan(0);
      await fixture.expireAccessTokens();
      const probe = await adapter.probeToken(callWith(oauthToken(tokens.access_token))).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(probe).toBeInstanceOf(ProviderApiError);
      expect((probe as ProviderApiError).code).toBe('unauthorized');

      const refresh = async (refreshToken: string) =>
        oauth.processRefreshTokenResponse(
          as(),
          { client_id: refreshing.clientId },
          // What the runner's refresh sends (access-token-provider.ts): the adapter's parameters too.
          await oauth.refreshTokenGrantRequest(as(), { client_id: refreshing.clientId }, adapter.clientAuthentication(refreshing.clientSecret), refreshToken, {
            ...options(),
            ...(adapter.refreshParameters ? { additionalParameters: adapter.refreshParameters() } : {}),
          }),
        );
      const renewed = await refresh(tokens.refresh_token!);
      expect(renewed.access_token).not.toBe(tokens.access_token);
      expect(renewed.refresh_token).not.toBe(tokens.refresh_token);
      await adapter.probeToken(callWith(oauthToken(renewed.access_token)));

      expect(adapter.refresh.rotates).toBe(true);
      const { refusal } = await refusalMeaning(refresh(tokens.refresh_token!), 'refresh');
      expect(adapter.refresh.classifyRefusal(refusal)).toBeNull();
    });
  });

  describe('personal access tokens', () => {
    const check = (token: string, email: string | null, expiresOn: string | null) =>
      adapter.checkPersonalAccessToken({ endpoints: fixture.endpoints, token, email, expiresOn, fetch });

    it('accepts a complete token: whose it is, its scopes and its expiry', async () => {
      const expiresOn = inDays(30);
      const created = await fixture.createPersonalAccessToken('complete', expiresOn);
      const checked = await check(created.token, created.email, expiresOn);
      expect(checked.ok).toBe(true);
      if (!checked.ok) return;
      expect(checked.account).toMatchObject({ username: fixture.user.account.username, email: fixture.user.account.email });
      // Told by the provider, or left to the flow, which keeps the date the developer gave.
      if (capabilities.tokenExpiryFromProvider) expect(checked.expiresAt?.slice(0, 10)).toBe(expiresOn);
      else expect(checked.expiresAt).toBeNull();
    });

    it.skipIf(!capabilities.fineGrainedTokens)('accepts a fine-grained token on the repository, and knows its expiry without being told', async () => {
      const expiresOn = inDays(60);
      const created = await fixture.createPersonalAccessToken('fine_grained', expiresOn);
      const checked = await check(created.token, created.email, null);
      expect(checked).toMatchObject({ ok: true, account: { username: fixture.user.account.username } });
      if (checked.ok) expect(checked.expiresAt?.slice(0, 10)).toBe(expiresOn);
      const resolved = await adapter.resolveContext({
        call: callWith({ kind: 'api_token', accessToken: created.token, loginEmail: created.email }),
        context: fixture.contexts[0]!.context,
        accountName: fixture.user.account.name,
        cloneUrlFor: (repositoryPath) => adapter.cloneUrl(fixture.endpoints.siteUrl, repositoryPath),
      });
      expect(resolved.kind).toBe('repository');
    });

    it('refuses a token without the repository scope, and one the provider does not know', async () => {
      const created = await fixture.createPersonalAccessToken('no_repository_scope', inDays(30));
      expect(await check(created.token, created.email, inDays(30))).toMatchObject({ ok: false, code: 'missing_scope' });
      expect(await check(`${created.token.slice(0, -4)}zzzz`, created.email, inDays(30))).toMatchObject({ ok: false, code: 'token_refused' });
    });
  });

  describe('context, clone and push', () => {
    let token: TokenCredentials;
    const refs = new Map<string, string>();
    const gitEnv = () => ({
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: workDir,
      RC_GIT_USER: adapter.gitUsername(token),
      RC_GIT_TOKEN: token.accessToken,
    });
    // The runner's credential helper hands git the adapter's user name and the token; here a shell one does.
    const helper = ['-c', 'credential.helper=', '-c', 'credential.helper=!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$RC_GIT_USER" "$RC_GIT_TOKEN"; }; f'];
    const git = (args: string[], cwd = workDir) => run('git', [...helper, ...args], { cwd, env: gitEnv() });
    const cloneUrlFor = (repositoryPath: readonly string[]) => adapter.cloneUrl(fixture.endpoints.siteUrl, repositoryPath);
    const resolve = (context: Parameters<ProviderAdapter['resolveContext']>[0]['context'], credentials = token) =>
      adapter.resolveContext({ call: callWith(credentials), context, accountName: fixture.user.account.name, cloneUrlFor });

    beforeAll(async () => {
      token = oauthToken((await connect(plain)).access_token);
      const { stdout } = await git(['ls-remote', cloneUrlFor(fixture.push.repositoryPath)]);
      for (const line of stdout.trim().split('\n')) {
        const [sha, ref] = line.split('\t');
        if (sha && ref) refs.set(ref.replace(/\^\{\}$/, ''), sha);
      }
    });

    it('resolves every context case', async () => {
      for (const testCase of fixture.contexts) {
        const resolved = await resolve(testCase.context);
        expect(resolved, testCase.name).toMatchObject(testCase.expect);
        expect(resolved.cloneUrl, testCase.name).toBe(cloneUrlFor(testCase.clonesFrom ?? testCase.context.repositoryPath));
        if (testCase.commitOf) expect(resolved.commit, testCase.name).toBe(refs.get(testCase.commitOf));
        else expect(resolved.commit, testCase.name).toMatch(/^[0-9a-f]{40}$/);
      }
    });

    it('resolves a commit, and keeps the branch it was viewed on, so the environment can push', async () => {
      const branchRef = `refs/heads/${fixture.push.branch}`;
      const sha = refs.get(branchRef)!;
      const base = { ...fixture.contexts[0]!.context, kind: 'commit' as const, commit: sha };
      expect(await resolve(base)).toMatchObject({ kind: 'commit', refType: 'commit', commit: sha });
      expect(await resolve({ ...base, branch: fixture.push.branch })).toMatchObject({ kind: 'commit', ref: fixture.push.branch, refType: 'branch', commit: sha });
    });

    it.skipIf(!capabilities.appInstallations)('tells a developer when the app’s installation does not cover the repository', async () => {
      const uncovered = await fixture.createUncoveredAppClient!(CALLBACK);
      const appToken = oauthToken((await connect(uncovered)).access_token);
      await expect(resolve(fixture.contexts[0]!.context, appToken)).rejects.toMatchObject({ code: 'repository_not_found', message: expect.stringMatching(/installation does not cover/) });
    });

    it('says a repository the user cannot see was not found, and unknown refs too', async () => {
      await expect(resolve(fixture.missingRepository)).rejects.toMatchObject({ code: 'repository_not_found', message: expect.stringContaining(fixture.missingRepository.repo) });
      await expect(resolve({ ...fixture.contexts[0]!.context, kind: 'branch', branch: 'no/such-branch' })).rejects.toMatchObject({ code: 'ref_not_found' });
    });

    it.skipIf(!capabilities.rateLimits)('answers a rate limit with when it ends, without retrying', async () => {
      await fixture.rateLimitNextApiCall();
      const error = await adapter.whoAmI(callWith(token)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ProviderApiError);
      expect((error as ProviderApiError).code).toBe('rate_limited');
      expect((error as ProviderApiError).message).toMatch(/until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
      // The next call goes through: nothing was left waiting or retried.
      await expect(adapter.whoAmI(callWith(token))).resolves.toMatchObject({ username: fixture.user.account.username });
    });

    it('clones with the adapter’s git user and pushes a commit as the account', async () => {
      const dir = path.join(workDir, 'clone');
      const url = cloneUrlFor(fixture.push.repositoryPath);
      await git(['clone', '--quiet', '--branch', fixture.push.branch, url, dir]);
      const account = await adapter.whoAmI(callWith(token));
      fs.writeFileSync(path.join(dir, 'CONFORMANCE.md'), 'pushed by the provider conformance suite\n');
      await git(['add', 'CONFORMANCE.md'], dir);
      await git(['-c', `user.name=${account.name}`, '-c', `user.email=${account.email}`, 'commit', '--quiet', '-m', 'Conformance push'], dir);
      await git(['push', '--quiet', 'origin', fixture.push.branch], dir);
      const { stdout: head } = await git(['rev-parse', 'HEAD'], dir);
      const resolved = await resolve({ ...fixture.contexts[0]!.context, kind: 'branch', branch: fixture.push.branch });
      expect(resolved.commit).toBe(head.trim());
    });

    it('revokes the grant on Disconnect where the provider can: the token stops working; a personal access token is left to its owner', async () => {
      const own = oauthToken((await connect(plain)).access_token);
      await adapter.probeToken(callWith(own));
      const revoked = await adapter.revoke({ endpoints: fixture.endpoints, clientId: plain.clientId, clientSecret: plain.clientSecret, token: own, fetch });
      if (capabilities.revokesGrants) {
        expect(revoked).toBe('revoked');
        await expect(adapter.probeToken(callWith(own))).rejects.toMatchObject({ code: 'unauthorized' });
      } else {
        expect(revoked).toBe('unsupported');
      }
      const pat = await fixture.createPersonalAccessToken('complete', inDays(30));
      expect(
        await adapter.revoke({ endpoints: fixture.endpoints, clientId: plain.clientId, clientSecret: plain.clientSecret, token: { kind: 'api_token', accessToken: pat.token, loginEmail: pat.email }, fetch }),
      ).toBe('unsupported');
    });
  });
});
