import { describe, expect, it } from 'vitest';
import type { ParsedContext } from '@runner-console/contracts';
import { buildCloneUrl, checkBranchName, checkCommitHash, checkRepositorySlug, CloneRefusal, cloneTargetFor, gitConfigEnv, gitProtocolConfig, gitRemoteOf } from './clone-target.ts';

const bitbucket = { host: 'bitbucket.org', siteUrl: 'https://bitbucket.org' };
const emulator = { host: 'bitbucket.org', siteUrl: 'http://localhost:8082' };
const head = 'a'.repeat(40);

function context(overrides: Partial<ParsedContext> = {}): ParsedContext {
  return {
    host: 'bitbucket.org',
    owner: 'acme',
    repo: 'widgets',
    cloneUrl: 'https://bitbucket.org/acme/widgets.git',
    kind: 'branch',
    ref: 'feature/login',
    refType: 'branch',
    commit: head,
    pullRequest: null,
    author: { name: 'Alice', email: 'alice@acme.test' },
    ...overrides,
  };
}

function refusalOf(fn: () => unknown): CloneRefusal {
  try {
    fn();
  } catch (err) {
    if (err instanceof CloneRefusal) return err;
    throw err;
  }
  throw new Error('no refusal');
}

describe('buildCloneUrl', () => {
  it('builds the HTTPS clone URL from the configured site, for Bitbucket and for the emulator', () => {
    expect(buildCloneUrl(bitbucket, 'acme', 'widgets')).toBe('https://bitbucket.org/acme/widgets.git');
    expect(buildCloneUrl(emulator, 'acme', 'widgets')).toBe('http://localhost:8082/acme/widgets.git');
    expect(buildCloneUrl({ siteUrl: 'https://git.acme.internal/bitbucket/' }, 'my_team', 'api.v2-web')).toBe('https://git.acme.internal/bitbucket/my_team/api.v2-web.git');
  });

  it('refuses slugs that are path steps, options, or carry separators, user info or other characters', () => {
    for (const bad of ['', '.', '..', '-x', '.hidden', 'a/b', 'a\\b', 'a b', 'a@evil.example', 'a:b', 'a%2fb', 'a?b', 'a#b', 'a\nb', 'é', 'x'.repeat(101)]) {
      expect(refusalOf(() => buildCloneUrl(bitbucket, bad, 'widgets')).code).toBe('invalid_repository');
      expect(refusalOf(() => buildCloneUrl(bitbucket, 'acme', bad)).code).toBe('invalid_repository');
    }
    expect(checkRepositorySlug('_build.tools-1', 'repository')).toBe('_build.tools-1');
  });
});

describe('checkBranchName', () => {
  it('takes branch names git takes', () => {
    for (const ok of ['main', 'feature/login', 'release/1.2', 'fix-#12', 'a@b']) expect(checkBranchName(ok)).toBe(ok);
  });

  it('refuses an option, and what git check-ref-format refuses', () => {
    for (const bad of ['-b', '--upload-pack=touch /tmp/x', '', '@', 'a..b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[', 'a\\b', 'a@{1}', 'a.', 'a/', '/a', 'a//b', '.a', 'a/.b', 'a.lock', 'a\tb', 'a\u007f']) {
      expect(refusalOf(() => checkBranchName(bad)).code).toBe('invalid_ref');
    }
  });
});

describe('checkCommitHash', () => {
  it('takes 7 to 64 hex digits only', () => {
    for (const ok of ['abc1234', head, 'F'.repeat(64)]) expect(checkCommitHash(ok)).toBe(ok);
    for (const bad of ['', 'abc123', 'g'.repeat(40), '-' + 'a'.repeat(39), 'a'.repeat(65), 'HEAD', `${head} `, 'main']) {
      expect(refusalOf(() => checkCommitHash(bad)).code).toBe('invalid_commit');
    }
  });
});

describe('cloneTargetFor', () => {
  it('builds the provider’s own clone URL when the endpoints name their provider (Azure DevOps: …/{project}/_git/{repo})', () => {
    const azure = { provider: 'azure-devops' as const, host: 'dev.azure.com', siteUrl: 'https://dev.azure.com' };
    const target = cloneTargetFor(azure, { ...context(), owner: 'acme/widgets', repo: 'widgets', cloneUrl: 'https://dev.azure.com/acme/widgets/_git/widgets' });
    expect(target.url).toBe('https://dev.azure.com/acme/widgets/_git/widgets');
    // Azure DevOps names may have spaces: encoded in the URL; a path step or an option never passes.
    expect(cloneTargetFor(azure, { ...context(), owner: 'acme/My Project', repo: 'My Repo', cloneUrl: undefined }).url).toBe('https://dev.azure.com/acme/My%20Project/_git/My%20Repo');
    for (const bad of ['..', '-x', 'a\nb', 'a:b']) expect(refusalOf(() => cloneTargetFor(azure, { ...context(), owner: `acme/${bad}`, repo: 'widgets', cloneUrl: undefined })).code, bad).toBe('invalid_repository');
  });

  it('builds the target from the configured site when the context agrees, or names no clone URL', () => {
    expect(cloneTargetFor(bitbucket, context())).toEqual({
      remote: { origin: 'https://bitbucket.org', protocol: 'https', host: 'bitbucket.org' },
      url: 'https://bitbucket.org/acme/widgets.git',
      owner: 'acme',
      repo: 'widgets',
      ref: 'feature/login',
      refType: 'branch',
      commit: head,
      pinCommit: false,
    });
    expect(cloneTargetFor(emulator, context({ cloneUrl: undefined })).remote).toEqual({ origin: 'http://localhost:8082', protocol: 'http', host: 'localhost:8082' });
  });

  it('builds the URL in the provider’s own form (Bitbucket Data Center’s /scm/{key}/{slug}.git, a personal project’s ~USER)', () => {
    const dataCenter = { host: 'bitbucket.acme.test', siteUrl: 'https://bitbucket.acme.test' };
    const scm = (siteUrl: string, path: readonly string[]) => `${siteUrl}/scm/${path[0]!.toLowerCase()}/${path[1]}.git`;
    expect(cloneTargetFor(dataCenter, context({ owner: '~BOB', cloneUrl: 'https://bitbucket.acme.test/scm/~bob/widgets.git' }), scm).url).toBe('https://bitbucket.acme.test/scm/~bob/widgets.git');
    // The BFF's URL in the plain form is not the one this provider uses: refused.
    expect(refusalOf(() => cloneTargetFor(dataCenter, context({ owner: 'ACME', cloneUrl: 'https://bitbucket.acme.test/ACME/widgets.git' }), scm)).code).toBe('foreign_clone_url');
  });

  it('refuses any other clone URL, and does not repeat it', () => {
    for (const foreign of [
      'http://127.0.0.1:19392/acme/widgets.git',
      'http://bitbucket.org/acme/widgets.git',
      'https://x-token-auth@bitbucket.org/acme/widgets.git',
      'https://bitbucket.org/acme/other.git',
      'https://bitbucket.org/acme/widgets.git/',
      'ext::sh -c touch% /tmp/pwned',
      'file:///srv/git/secret.git',
      '',
    ]) {
      const refusal = refusalOf(() => cloneTargetFor(bitbucket, context({ cloneUrl: foreign })));
      expect(refusal.code).toBe('foreign_clone_url');
      expect(refusal.message).toContain('contacted nothing');
      expect(refusal.message).not.toContain('127.0.0.1');
      expect(refusal.message).not.toContain('/tmp');
      expect(refusal.message).not.toContain('file:');
    }
  });

  it('checks the ref as a branch or a commit, and the commit always', () => {
    expect(refusalOf(() => cloneTargetFor(bitbucket, context({ ref: '--upload-pack=touch /tmp/x' }))).code).toBe('invalid_ref');
    expect(refusalOf(() => cloneTargetFor(bitbucket, context({ refType: 'commit', ref: 'main', commit: head }))).code).toBe('invalid_commit');
    expect(refusalOf(() => cloneTargetFor(bitbucket, context({ commit: '--orphan=x' }))).code).toBe('invalid_commit');
    expect(cloneTargetFor(bitbucket, context({ kind: 'commit', refType: 'commit', ref: head })).refType).toBe('commit');
  });
});

describe('git configuration for a remote', () => {
  it('allows https only, and http only for an http endpoint', () => {
    expect(gitProtocolConfig(gitRemoteOf(bitbucket))).toEqual([
      ['protocol.allow', 'never'],
      ['protocol.https.allow', 'always'],
    ]);
    expect(gitProtocolConfig(gitRemoteOf(emulator))).toContainEqual(['protocol.http.allow', 'always']);
  });

  it('passes config pairs as GIT_CONFIG_* variables', () => {
    expect(gitConfigEnv([['a.b', '1'], ['c.d', 'x y']])).toEqual({ GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'a.b', GIT_CONFIG_VALUE_0: '1', GIT_CONFIG_KEY_1: 'c.d', GIT_CONFIG_VALUE_1: 'x y' });
  });

  it('refuses a configured site that is not http or https', () => {
    expect(() => gitRemoteOf({ siteUrl: 'file:///srv/git' })).toThrow(/not http or https/);
  });
});
