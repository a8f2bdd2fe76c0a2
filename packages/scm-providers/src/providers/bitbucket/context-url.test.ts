import { describe, expect, it } from 'vitest';
import { parseContextUrl, servedHostsOf, type ParseContextUrlOptions } from '../../context-url.ts';
import type { ContextUrl } from '../../provider-module.ts';

const repository: ContextUrl = {
  provider: 'bitbucket',
  host: 'bitbucket.org',
  repositoryPath: ['acme', 'widgets'],
  owner: 'acme',
  repo: 'widgets',
  kind: 'repository',
};

/** What the old Bitbucket-only parser took: a runner with a Bitbucket integration, and its own Bitbucket origins. */
function parseBitbucketContextUrl(url: string, options: { siteOrigins?: string[] } = {}) {
  const served: ParseContextUrlOptions['served'] = servedHostsOf({
    integrations: [{ provider: 'bitbucket', host: 'bitbucket.org' }],
    sites: (options.siteOrigins ?? []).map((origin) => ({ host: 'bitbucket.org', origin })),
  });
  return parseContextUrl(url, { served });
}
const EXAMPLE = 'Paste a link like https://bitbucket.org/workspace/repository.';

function contextOf(url: string) {
  const result = parseBitbucketContextUrl(url);
  if (!result.ok)
    throw new Error(`expected ${url} to be recognised, got ${result.reason}: ${result.message}`);
  return result.context;
}

describe('Bitbucket context URLs', () => {
  describe('repository', () => {
    it.each([
      'https://bitbucket.org/acme/widgets',
      'https://bitbucket.org/acme/widgets/',
      'http://bitbucket.org/acme/widgets',
      'https://www.bitbucket.org/acme/widgets',
      'https://BITBUCKET.org/acme/widgets',
      'https://bitbucket.org/acme/widgets?tab=readme#top',
      'bitbucket.org/acme/widgets',
      '  https://bitbucket.org/acme/widgets  ',
      'https://bitbucket.org/acme/widgets/src',
      'https://bitbucket.org/acme/widgets/src/',
      'https://bitbucket.org/acme/widgets/commits/',
      'https://bitbucket.org/acme/widgets/pull-requests/',
      'https://bitbucket.org/acme/widgets/branches/',
      'https://bitbucket.org/acme/widgets/pipelines',
    ])('%s', (url) => {
      expect(contextOf(url)).toEqual(repository);
    });

    it.each([
      'https://bitbucket.org/acme/widgets.git',
      'https://alice@bitbucket.org/acme/widgets.git',
      'git@bitbucket.org:acme/widgets.git',
      'git@bitbucket.org:acme/widgets',
      'ssh://git@bitbucket.org/acme/widgets.git',
    ])('clone URL %s', (url) => {
      expect(contextOf(url)).toEqual(repository);
    });

    it('keeps slugs with dots, dashes and underscores', () => {
      expect(contextOf('https://bitbucket.org/acme-co_1/my.widgets-v2_x')).toMatchObject({
        owner: 'acme-co_1',
        repo: 'my.widgets-v2_x',
      });
      expect(contextOf('git@bitbucket.org:acme/my.widgets.git')).toMatchObject({
        repo: 'my.widgets',
      });
    });
  });

  describe('branch', () => {
    // In /src/ links Bitbucket writes a branch or a tag, with its slashes unencoded, followed by a
    // path: the parser leaves the ref unresolved and the runner asks Bitbucket (branches, then tags,
    // longest name first).
    it('…/src/{ref}/: a branch or tag the runner resolves', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/src/main/')).toEqual({ ...repository, kind: 'ref', refSegments: ['main'] });
      expect(contextOf('https://bitbucket.org/acme/widgets/src/main')).toEqual({ ...repository, kind: 'ref', refSegments: ['main'] });
      expect(contextOf('https://bitbucket.org/acme/widgets/src/v1.0/')).toEqual({ ...repository, kind: 'ref', refSegments: ['v1.0'] });
    });

    it('…/src/feature%2Flogin: an encoded slash is part of the ref name', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/src/feature%2Flogin')).toEqual({ ...repository, kind: 'ref', refSegments: ['feature/login'] });
      expect(contextOf('https://bitbucket.org/acme/widgets/src/feature%2flogin/')).toEqual({ ...repository, kind: 'ref', refSegments: ['feature/login'] });
    });

    it('…/src/{ref}/{path}: the ref and the path come as segments, for the runner to split', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/src/main/docs/README.md')).toEqual({ ...repository, kind: 'ref', refSegments: ['main', 'docs', 'README.md'] });
      expect(contextOf('https://bitbucket.org/acme/widgets/src/feature%2Flogin/src/app.ts?at=feature%2Flogin')).toEqual({
        ...repository,
        kind: 'ref',
        refSegments: ['feature/login', 'src', 'app.ts'],
      });
    });

    it('…/src/feature/login/ is ambiguous: segments feature and login for the resolver to try longest first', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/src/feature/login/')).toEqual({ ...repository, kind: 'ref', refSegments: ['feature', 'login'] });
    });

    it('…/branch/{name}: everything after /branch/ is the branch', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/branch/feature/login')).toEqual({
        ...repository,
        kind: 'branch',
        branch: 'feature/login',
      });
      expect(contextOf('https://bitbucket.org/acme/widgets/branch/feature/login/')).toEqual({
        ...repository,
        kind: 'branch',
        branch: 'feature/login',
      });
      expect(contextOf('https://bitbucket.org/acme/widgets/branch/main')).toEqual({
        ...repository,
        kind: 'branch',
        branch: 'main',
      });
    });

    it('…/commits/tag/{name}', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/commits/tag/first-tag')).toEqual({ ...repository, kind: 'tag', tag: 'first-tag' });
      expect(contextOf('https://bitbucket.org/acme/widgets/commits/tag/release/1.0')).toEqual({ ...repository, kind: 'tag', tag: 'release/1.0' });
    });

    it('…/commits/branch/{name}', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/commits/branch/feature/login')).toEqual({
        ...repository,
        kind: 'branch',
        branch: 'feature/login',
      });
    });

    it('keeps unicode in a branch name', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/branch/fix/%C3%BCber')).toMatchObject({
        branch: 'fix/über',
      });
    });
  });

  describe('commit', () => {
    it.each(['abc1234', 'ABC1234DEF', '0123456789abcdef0123456789abcdef01234567'])(
      '…/commits/%s',
      (hash) => {
        expect(contextOf(`https://bitbucket.org/acme/widgets/commits/${hash}`)).toEqual({
          ...repository,
          kind: 'commit',
          commit: hash.toLowerCase(),
        });
      },
    );

    it('…/commits/{hash}/ with a trailing slash and a query', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/commits/abc1234/?w=1')).toEqual({
        ...repository,
        kind: 'commit',
        commit: 'abc1234',
      });
    });

    it('…/src/{40-hex}/{path}: a full hash in the source browser is a commit', () => {
      const hash = 'a'.repeat(40);
      expect(contextOf(`https://bitbucket.org/acme/widgets/src/${hash}/README.md`)).toEqual({
        ...repository,
        kind: 'commit',
        commit: hash,
        path: 'README.md',
      });
      expect(contextOf(`https://bitbucket.org/acme/widgets/src/${hash}`)).toEqual({
        ...repository,
        kind: 'commit',
        commit: hash,
      });
    });

    it('…/src/{short hex} stays a ref to resolve (short hex is a valid branch name)', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/src/cafe123')).toEqual({ ...repository, kind: 'ref', refSegments: ['cafe123'] });
    });

    it('…/src/{40-hex}/?at={branch}: the commit, on the branch it was viewed on', () => {
      const hash = '8fcf6c869d0cdb570bb6f2f9aa5f8ed72c9d953a';
      expect(contextOf(`https://bitbucket.org/acme/widgets/src/${hash}/?at=Gitpod%2Ftesttxt`)).toEqual({ ...repository, kind: 'commit', commit: hash, branch: 'Gitpod/testtxt' });
    });
  });

  describe('pull request', () => {
    it.each([
      'https://bitbucket.org/acme/widgets/pull-requests/1',
      'https://bitbucket.org/acme/widgets/pull-requests/1/',
      'https://bitbucket.org/acme/widgets/pull-requests/1/diff',
      'https://bitbucket.org/acme/widgets/pull-requests/1/overview',
      'https://bitbucket.org/acme/widgets/pull-requests/1/feature-login-adds-login?w=1#comment-5',
    ])('%s', (url) => {
      expect(contextOf(url)).toEqual({ ...repository, kind: 'pullRequest', pullRequestId: 1 });
    });

    it('reads a large id as a number', () => {
      expect(contextOf('https://bitbucket.org/acme/widgets/pull-requests/4096')).toMatchObject({
        pullRequestId: 4096,
      });
    });
  });

  describe('refusals: each says what is wrong with the link', () => {
    it.each([
      ['', 'That is not a link.'],
      ['   ', 'That is not a link.'],
      ['hello', 'That is not a link: it has no scheme (https://) and no host.'],
      ['acme/widgets', 'That is not a link: it has no scheme (https://) and no host.'],
      ['widgets', 'That is not a link: it has no scheme (https://) and no host.'],
      ['mailto:alice@bitbucket.org', 'That is not a link to a web page: it starts with mailto:.'],
      [
        'ftp://bitbucket.org/acme/widgets',
        'That link starts with ftp://, which the runner cannot read.',
      ],
      ['https://', 'That link has no host after https://.'],
      ['https://bit bucket.org/acme/widgets', 'That is not a link: a link has no spaces.'],
    ])('not_a_url: %j', (url, message) => {
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'not_a_url',
        message: `${message} ${EXAMPLE}`,
      });
    });

    it('not_a_url for a value that is not a string', () => {
      expect(parseBitbucketContextUrl(null as unknown as string)).toMatchObject({
        ok: false,
        reason: 'not_a_url',
      });
    });

    it.each(['localhost:8082/acme/', 'localhost:8082/acme/widgets/pull-requests/1'])(
      'no_scheme: %s (a host with a port, no scheme, on no known site)',
      (url) => {
        expect(parseBitbucketContextUrl(url)).toEqual({
          ok: false,
          reason: 'no_scheme',
          message: `That link has no scheme: start it with http:// or https://, as the browser's address bar shows it. ${EXAMPLE}`,
        });
      },
    );

    it('too_long: says the length and the limit', () => {
      const url = `https://bitbucket.org/acme/widgets/src/main/${'a'.repeat(5000 - 44)}`;
      expect(url).toHaveLength(5000);
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'too_long',
        message:
          'That link is 5,000 characters long; the limit is 2,048. Copy the address of the repository, branch, commit or pull request page instead.',
      });
    });

    it.each([
      ['https://github.com/acme/widgets', 'github.com'],
      ['https://gitlab.com/acme/widgets/-/merge_requests/1', 'gitlab.com'],
      ['git@github.com:acme/widgets.git', 'github.com'],
      ['https://example.com/acme/widgets', 'example.com'],
      ['http://localhost:8082/acme/widgets/pull-requests/1', 'localhost:8082'],
      ['https://localhost/x', 'localhost'],
    ])('unknown_host: %s names %s', (url, host) => {
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'unknown_host',
        message: `No integration serves ${host}: links on bitbucket.org work. ${EXAMPLE}`,
        host,
      });
    });

    it.each([
      [
        'https://bitbucket.mycompany.com/projects/ACME/repos/widgets/browse',
        'bitbucket.mycompany.com',
      ],
      ['https://bitbucket.mycompany.com', 'bitbucket.mycompany.com'],
      ['https://git.mycompany.com/projects/ACME/repos/widgets/browse', 'git.mycompany.com'],
      ['https://git.mycompany.com/scm/acme/widgets.git', 'git.mycompany.com'],
      ['ssh://git@my-bitbucket.internal:7999/acme/widgets.git', 'my-bitbucket.internal'],
    ])('self_hosted_unsupported: %s', (url, host) => {
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'self_hosted_unsupported',
        message: `That looks like a link to a self-hosted Bitbucket (Data Center) at ${host}, and this runner has no Bitbucket Data Center integration for it. Ask an admin to add Bitbucket Data Center for ${host} (Settings › Runners › Add a new provider).`,
        host,
      });
    });

    it.each([
      ['https://bitbucket.org', 'names no workspace or repository'],
      ['https://bitbucket.org/', 'names no workspace or repository'],
      ['https://bitbucket.org/acme', 'names a workspace but no repository'],
      ['https://bitbucket.org/acme/', 'names a workspace but no repository'],
      ['git@bitbucket.org:acme', 'names a workspace but no repository'],
      [
        'https://bitbucket.org/account/settings/app-authorizations/',
        'is a Bitbucket page, not a repository',
      ],
      ['https://bitbucket.org/dashboard/overview', 'is a Bitbucket page, not a repository'],
      [
        'https://bitbucket.org/acme/wid%20gets',
        'has a workspace or repository name with characters Bitbucket does not allow (use letters, digits, _ . and -)',
      ],
      [
        'https://bitbucket.org/ac!me/widgets',
        'has a workspace or repository name with characters Bitbucket does not allow (use letters, digits, _ . and -)',
      ],
      ['https://bitbucket.org/acme/widgets.git/src/main', 'goes on after the clone URL’s .git'],
      [
        'https://bitbucket.org/acme/%E0%A4%A',
        'has broken percent-encoding (a % not followed by two hex digits)',
      ],
    ])('not_a_repository: %s', (url, detail) => {
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'not_a_repository',
        message: `That Bitbucket link ${detail}. ${EXAMPLE}`,
        host: 'bitbucket.org',
      });
    });

    it.each([
      ['https://bitbucket.org/acme/widgets/commits/xyz', 'does not name a commit'],
      ['https://bitbucket.org/acme/widgets/commits/abc12', 'does not name a commit'],
      ['https://bitbucket.org/acme/widgets/commits/' + 'a'.repeat(41), 'does not name a commit'],
      ['https://bitbucket.org/acme/widgets/pull-requests/new', 'does not name a pull request'],
      ['https://bitbucket.org/acme/widgets/pull-requests/0', 'does not name a pull request'],
      ['https://bitbucket.org/acme/widgets/pull-requests/-1', 'does not name a pull request'],
      ['https://bitbucket.org/acme/widgets/branch/', 'does not name a valid branch'],
      ['https://bitbucket.org/acme/widgets/commits/branch/', 'does not name a valid branch'],
    ])('not_a_repository with a reason: %s', (url, detail) => {
      expect(parseBitbucketContextUrl(url)).toEqual({
        ok: false,
        reason: 'not_a_repository',
        message: `That Bitbucket link ${detail}. ${EXAMPLE}`,
        host: 'bitbucket.org',
      });
    });

    it.each([
      ['leading dash (would read as a git option)', '--upload-pack=touch%20x'],
      ['space', 'my%20branch'],
      ['control character', 'main%00'],
      ['tilde', 'main~1'],
      ['caret', 'main%5E'],
      ['colon', 'a%3Ab'],
      ['double dot', 'a..b'],
      ['@{', 'main@%7B1%7D'],
      ['lock suffix', 'main.lock'],
      ['leading dot component', 'feature%2F.hidden'],
      ['empty component', 'feature%2F%2Flogin'],
      ['trailing dot', 'main.'],
      ['lone @', '@'],
      ['backslash', 'a%5Cb'],
    ])('refuses a branch name git would refuse: %s', (_what, ref) => {
      expect(
        parseBitbucketContextUrl(`https://bitbucket.org/acme/widgets/src/${ref}`),
      ).toMatchObject({
        ok: false,
        reason: 'not_a_repository',
        message: `That Bitbucket link does not name a valid branch. ${EXAMPLE}`,
      });
    });
  });
});

describe('parseBitbucketContextUrl on the runner’s own Bitbucket origin', () => {
  const siteOrigins = ['http://localhost:8082'];

  it.each([
    'http://localhost:8082/acme/widgets/pull-requests/1',
    'http://LOCALHOST:8082/acme/widgets/pull-requests/1/diff',
    'localhost:8082/acme/widgets/pull-requests/1',
  ])('%s reads as pull request 1 on bitbucket.org', (url) => {
    expect(parseBitbucketContextUrl(url, { siteOrigins })).toEqual({
      ok: true,
      context: { ...repository, kind: 'pullRequest', pullRequestId: 1 },
    });
  });

  it('still reads bitbucket.org links', () => {
    expect(parseBitbucketContextUrl('https://bitbucket.org/acme/widgets', { siteOrigins })).toEqual(
      { ok: true, context: repository },
    );
  });

  it('a workspace alone on that origin is not a repository path', () => {
    expect(parseBitbucketContextUrl('localhost:8082/acme/', { siteOrigins })).toMatchObject({
      ok: false,
      reason: 'not_a_repository',
      message: `That Bitbucket link names a workspace but no repository. ${EXAMPLE}`,
    });
  });

  it.each([
    ['https://localhost:8082/acme/widgets', 'localhost:8082'],
    ['http://localhost:8083/acme/widgets', 'localhost:8083'],
  ])('another scheme or port is another host: %s', (url, host) => {
    expect(parseBitbucketContextUrl(url, { siteOrigins })).toEqual({
      ok: false,
      reason: 'unknown_host',
      message: `No integration serves ${host}: links on bitbucket.org and http://localhost:8082 work. ${EXAMPLE}`,
      host,
    });
  });

  it('ignores origins that are not http(s) URLs', () => {
    expect(
      parseBitbucketContextUrl('http://localhost:8082/acme/widgets', {
        siteOrigins: ['not a url', 'ftp://localhost:8082'],
      }),
    ).toMatchObject({ ok: false, reason: 'unknown_host' });
  });
});
