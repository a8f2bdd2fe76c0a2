import { describe, expect, it } from 'vitest';
import { describeMissingApiTokenScopes, findMissingApiTokenScopes, readApiTokenInput } from './api-token-input.ts';

const TOKEN = `ATATT3x${'a'.repeat(180)}=0A1B2C3D`;

describe('readApiTokenInput', () => {
  it('drops pasted spaces and line breaks, and trims the e-mail', () => {
    expect(readApiTokenInput('bitbucket', { email: '  alice@acme.test\n', token: ` ${TOKEN.slice(0, 90)}\n${TOKEN.slice(90)} \r\n` })).toEqual({ ok: true, token: TOKEN, email: 'alice@acme.test' });
  });

  it('says so when the e-mail is not one', () => {
    expect(readApiTokenInput('bitbucket', { email: 'alice', token: TOKEN })).toMatchObject({ ok: false, field: 'email', code: 'email_invalid' });
  });

  it('explains that app passwords are gone, with a link to create an API token', () => {
    for (const appPassword of ['ATBB3xQw8ZtLkM2nPq7RsVbC4dE5fG6hJ9kL0mN1', 'aB3dE5gH7jK9mN1pQ3sT']) {
      const check = readApiTokenInput('bitbucket', { email: 'alice@acme.test', token: appPassword });
      expect(check).toMatchObject({ ok: false, field: 'token', code: 'app_password' });
      expect(check.ok ? '' : check.message).toContain('no longer accepts app passwords');
      expect(check.ok ? '' : check.message).toContain('https://id.atlassian.com/manage-profile/security/api-tokens');
    }
  });

  it('refuses an empty token and one with characters no token has', () => {
    expect(readApiTokenInput('bitbucket', { email: 'alice@acme.test', token: ' \n' })).toMatchObject({ ok: false, code: 'token_missing' });
    expect(readApiTokenInput('bitbucket', { email: 'alice@acme.test', token: 'ATATT3x€€€' })).toMatchObject({ ok: false, code: 'token_malformed' });
  });
});

describe('readApiTokenInput for GitLab', () => {
  it('takes a glpat- token alone, pasted with spaces, and a self-managed instance’s own prefix', () => {
    expect(readApiTokenInput('gitlab', { token: ' glpat-Ab3dE5gH7jK9mN1pQ3sT \n' })).toEqual({ ok: true, token: 'glpat-Ab3dE5gH7jK9mN1pQ3sT', email: null });
    expect(readApiTokenInput('gitlab', { token: 'glpat-Ab3dE5gH7jK9mN1pQ3sTuVwXyZ012.01.0x1a2b3c4d' })).toMatchObject({ ok: true });
    expect(readApiTokenInput('gitlab', { token: 'acmecorp-Ab3dE5gH7jK9mN1pQ3sT' })).toMatchObject({ ok: true });
  });

  it('names what a token of another kind is, and refuses what no token looks like', () => {
    for (const [token, words] of [
      ['gldt-Ab3dE5gH7jK9mN1pQ3sT', 'deploy token'],
      ['glrt-Ab3dE5gH7jK9mN1pQ3sT', 'runner authentication token'],
      ['gloas-0123456789abcdef0123456789abcdef', 'OAuth application secret'],
      ['glft-Ab3dE5gH7jK9mN1pQ3sT', 'feed token'],
    ] as const) {
      const check = readApiTokenInput('gitlab', { token });
      expect(check).toMatchObject({ ok: false, field: 'token', code: 'token_malformed' });
      expect(check.ok ? '' : check.message).toContain(words);
    }
    expect(readApiTokenInput('gitlab', { token: 'glpat-short' })).toMatchObject({ ok: false, code: 'token_malformed' });
    expect(readApiTokenInput('gitlab', { token: 'glpat-€€€€€€€€€€€€€€€€€€€€€' })).toMatchObject({ ok: false, code: 'token_malformed' });
    expect(readApiTokenInput('gitlab', { token: '' })).toMatchObject({ ok: false, code: 'token_missing' });
  });

  it('names a missing scope by GitLab’s name and why it is needed', () => {
    const missing = findMissingApiTokenScopes('gitlab', ['read_user', 'read_api', 'read_repository']);
    expect(missing.map((r) => r.scope)).toEqual(['write_repository']);
    expect(describeMissingApiTokenScopes('gitlab', missing)).toContain('write_repository (write_repository: push)');
  });
});

describe('findMissingApiTokenScopes', () => {
  it('names exactly the missing scopes, and no scope implies another', () => {
    expect(findMissingApiTokenScopes('bitbucket', ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket']).map((r) => r.scope)).toEqual(['read:pullrequest:bitbucket']);
    expect(findMissingApiTokenScopes('bitbucket', ['read:user:bitbucket, write:repository:bitbucket, read:pullrequest:bitbucket']).map((r) => r.scope)).toEqual(['read:repository:bitbucket']);
    expect(findMissingApiTokenScopes('bitbucket', ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'read:pullrequest:bitbucket'])).toEqual([]);
  });

  it('describes them by scope and reason', () => {
    const text = describeMissingApiTokenScopes('bitbucket', findMissingApiTokenScopes('bitbucket', ['read:user:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket']));
    expect(text).toContain('read:pullrequest:bitbucket');
    expect(text).toContain('start from a pull request');
  });
});

describe('readApiTokenInput for GitHub', () => {
  const classic = `ghp_${'A1b2C3d4E5'.repeat(3)}a1b2c3`;
  const fineGrained = `github_pat_11ABCDEFG0${'x'.repeat(72)}`;

  it('takes classic, fine-grained, OAuth and GitHub App user tokens, without an e-mail', () => {
    for (const token of [classic, fineGrained, `gho_${'a'.repeat(36)}`, `ghu_${'b'.repeat(36)}`, 'a'.repeat(40)]) {
      expect(readApiTokenInput('github', { token: ` ${token}\n` })).toEqual({ ok: true, token, email: null });
    }
  });

  it('explains an installation token and a refresh token, and refuses anything else', () => {
    expect(readApiTokenInput('github', { token: `ghs_${'a'.repeat(36)}` })).toMatchObject({ ok: false, code: 'token_malformed', message: expect.stringContaining('installation token') });
    expect(readApiTokenInput('github', { token: `ghr_${'a'.repeat(36)}` })).toMatchObject({ ok: false, code: 'token_malformed', message: expect.stringContaining('refresh token') });
    expect(readApiTokenInput('github', { token: 'ATATT3xabc' })).toMatchObject({ ok: false, code: 'token_malformed', message: expect.stringContaining('ghp_') });
    expect(readApiTokenInput('github', { token: '' })).toMatchObject({ ok: false, code: 'token_missing' });
  });

  it('counts repo as covering public_repo when a token’s scopes are checked', () => {
    expect(findMissingApiTokenScopes('github', ['repo, read:user, user:email, workflow'])).toEqual([]);
    expect(findMissingApiTokenScopes('github', ['repo, user']).map((r) => r.scope)).toEqual(['workflow']);
  });
});
