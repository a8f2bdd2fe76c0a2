import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import azureDevopsCases from './providers/azure-devops/context-url-cases.json' with { type: 'json' };
import bitbucketCases from './providers/bitbucket/context-url-cases.json' with { type: 'json' };
import bitbucketDataCenterCases from './providers/bitbucket-data-center/context-url-cases.json' with { type: 'json' };
import githubCases from './providers/github/context-url-cases.json' with { type: 'json' };
import gitlabCases from './providers/gitlab/context-url-cases.json' with { type: 'json' };
import { corpusHostOf, type ContextUrlCorpus } from './context-url-cases.ts';
import { parseContextUrl, servedHostsOf, type ServedHost } from './context-url.ts';
import { scmProviderModules } from './provider-modules.ts';

const corpora = [bitbucketCases, bitbucketDataCenterCases, githubCases, gitlabCases, azureDevopsCases] as unknown as ContextUrlCorpus[];
// Every module's cloud host, supported by a runner adapter yet or not.
const served: ServedHost[] = [...scmProviderModules.values()].map((module) => ({ provider: module.id, host: corpusHostOf(module.entry) }));

describe('context-URL corpus', () => {
  it('has a corpus for every provider module', () => {
    expect(corpora.map((corpus) => corpus.provider).sort()).toEqual([...scmProviderModules.keys()].sort());
  });

  for (const corpus of corpora) {
    const host = corpusHostOf(scmProviderModules.get(corpus.provider)!.entry);
    describe(corpus.provider, () => {
      it.each(corpus.cases.map((c) => [c.url, c] as const))('%s', (url, c) => {
        const result = parseContextUrl(url, { served });
        if (c.refusal) {
          expect(result).toMatchObject({ ok: false, reason: c.refusal });
          return;
        }
        const { repositoryPath, ...target } = c.expect!;
        expect(result).toEqual({
          ok: true,
          context: { provider: corpus.provider, host, repositoryPath, owner: repositoryPath.slice(0, -1).join('/'), repo: repositoryPath[repositoryPath.length - 1], ...target },
        });
      });
    });
  }
});

describe('context URLs on several hosts', () => {
  const ghes: ServedHost[] = servedHostsOf({
    integrations: [
      { provider: 'github', host: 'github.acme.corp' },
      { provider: 'github', host: 'github.com' },
    ],
    sites: [{ host: 'github.com', origin: 'http://localhost:8083' }],
  });

  it('reads a GitHub Enterprise Server link by the integration that serves its host', () => {
    expect(parseContextUrl('https://github.acme.corp/acme/widgets/pull/7', { served: ghes })).toMatchObject({
      ok: true,
      context: { provider: 'github', host: 'github.acme.corp', repositoryPath: ['acme', 'widgets'], kind: 'pullRequest', pullRequestId: 7 },
    });
  });

  it('reads a link on the emulator’s origin as a link on the host it stands for', () => {
    expect(parseContextUrl('http://localhost:8083/acme/widgets/pull/1', { served: ghes })).toMatchObject({ ok: true, context: { host: 'github.com', kind: 'pullRequest' } });
  });

  it('names the hosts that work when no integration serves a link', () => {
    expect(parseContextUrl('https://gitlab.com/acme/widgets', { served: ghes })).toEqual({
      ok: false,
      reason: 'unknown_host',
      message: 'No integration serves gitlab.com: links on github.acme.corp, github.com and http://localhost:8083 work. Paste a link like https://github.com/owner/repository.',
      host: 'gitlab.com',
    });
  });
});

describe('Bitbucket Data Center links on several hosts', () => {
  const served = servedHostsOf({ integrations: [{ provider: 'bitbucket-data-center', host: 'bitbucket.acme.test' }], sites: [{ host: 'bitbucket.acme.test', origin: 'http://localhost:8087' }] });

  it('reads a link on the integration’s host, and on the emulator’s origin standing for it', () => {
    for (const url of ['https://bitbucket.acme.test/projects/ACME/repos/widgets/pull-requests/1/overview', 'http://localhost:8087/projects/ACME/repos/widgets/pull-requests/1/overview']) {
      expect(parseContextUrl(url, { served })).toMatchObject({ ok: true, context: { provider: 'bitbucket-data-center', host: 'bitbucket.acme.test', repositoryPath: ['ACME', 'widgets'], kind: 'pullRequest', pullRequestId: 1 } });
    }
  });

  it('says which host lacks an integration when a Data Center link is on another server', () => {
    expect(parseContextUrl('https://git.other.test/projects/ACME/repos/widgets', { served })).toMatchObject({
      ok: false,
      host: 'git.other.test',
      message: expect.stringContaining('Ask an admin to add Bitbucket Data Center for git.other.test'),
    });
  });
});

describe('Azure DevOps Server links', () => {
  const server: ServedHost[] = servedHostsOf({ integrations: [{ provider: 'azure-devops', host: 'tfs.acme.internal' }] });

  it('reads the collection path as the repository path’s first segments', () => {
    expect(parseContextUrl('https://tfs.acme.internal/tfs/DefaultCollection/widgets/_git/widgets/pullrequest/3', { served: server })).toMatchObject({
      ok: true,
      context: { provider: 'azure-devops', host: 'tfs.acme.internal', repositoryPath: ['tfs', 'DefaultCollection', 'widgets', 'widgets'], owner: 'tfs/DefaultCollection/widgets', repo: 'widgets', kind: 'pullRequest', pullRequestId: 3 },
    });
  });

  it('takes a legacy {org}.visualstudio.com link only where dev.azure.com is served', () => {
    expect(parseContextUrl('https://acme.visualstudio.com/widgets/_git/widgets', { served: server })).toMatchObject({ ok: false, reason: 'unknown_host' });
  });
});

describe('context-URL properties', () => {
  const owner = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,11}$/);
  const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,11}$/);
  const branch = fc.array(segment, { minLength: 1, maxLength: 4 });

  it('a branch in /branch/ (Bitbucket) or /tree/ (GitHub) comes back whole, with its slashes', () => {
    fc.assert(
      fc.property(owner, segment, branch, (account, repo, parts) => {
        const bitbucket = parseContextUrl(`https://bitbucket.org/${account}/${repo}/branch/${parts.join('/')}`, { served });
        expect(bitbucket).toMatchObject({ ok: true, context: { kind: 'branch', branch: parts.join('/') } });
        const github = parseContextUrl(`https://github.com/${account}/${repo}/tree/${parts.join('/')}`, { served });
        if (/^[0-9a-f]{40}$/.test(parts[0]!)) return;
        expect(github).toMatchObject({ ok: true, context: { kind: 'ref', refSegments: parts } });
      }),
    );
  });

  it('never throws, and always answers ok or a refusal with a message', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withQueryParameters: true, withFragments: true })), (input) => {
        const result = parseContextUrl(input, { served });
        expect(result.ok || result.message.length > 0).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
