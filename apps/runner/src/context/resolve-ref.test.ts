import { describe, expect, it } from 'vitest';
import bitbucketCases from '@runner-console/scm-providers/context-url-cases/bitbucket' with { type: 'json' };
import bitbucketDataCenterCases from '@runner-console/scm-providers/context-url-cases/bitbucket-data-center' with { type: 'json' };
import githubCases from '@runner-console/scm-providers/context-url-cases/github' with { type: 'json' };
import { resolveRefSegments, type RefLookups } from './resolve-ref.ts';

type Case = { url: string; expect?: { kind: string; refSegments?: string[] }; resolve?: { branches: string[]; tags: string[]; to: { refType: string; ref: string; path?: string } | null } };

/** A repository with these branches and tags; every commit hash is its name's, padded. */
function repositoryWith(branches: string[], tags: string[]): RefLookups & { asked: string[] } {
  const asked: string[] = [];
  const hashOf = (name: string) => Buffer.from(name).toString('hex').padEnd(40, '0').slice(0, 40);
  return {
    asked,
    findBranch: async (name) => (asked.push(`branch ${name}`), branches.includes(name) ? { name, hash: hashOf(name) } : undefined),
    findTag: async (name) => (asked.push(`tag ${name}`), tags.includes(name) ? { name, hash: hashOf(name) } : undefined),
    findCommit: async (hash) => (asked.push(`commit ${hash}`), `${hash}${'0'.repeat(40 - hash.length)}`),
  };
}

const cases = ([...bitbucketCases.cases, ...bitbucketDataCenterCases.cases, ...githubCases.cases] as Case[]).filter((c) => c.expect?.kind === 'ref' && c.resolve);

describe('resolving an unresolved ref, against the providers’ context-URL corpus', () => {
  it('has cases to run', () => expect(cases.length).toBeGreaterThan(8));

  it.each(cases.map((c) => [c.url, c] as const))('%s', async (_url, c) => {
    const found = await resolveRefSegments(c.expect!.refSegments!, repositoryWith(c.resolve!.branches, c.resolve!.tags));
    if (c.resolve!.to === null) return expect(found).toBeNull();
    expect(found).toMatchObject({ ref: c.resolve!.to.ref, refType: c.resolve!.to.refType, path: c.resolve!.to.path ?? null });
  });

  it('tries the longest name first (a branch, then a tag), and a commit last', async () => {
    const repo = repositoryWith([], []);
    await resolveRefSegments(['abc1234', 'src'], repo);
    expect(repo.asked).toEqual(['branch abc1234/src', 'tag abc1234/src', 'branch abc1234', 'tag abc1234', 'commit abc1234']);
  });
});
