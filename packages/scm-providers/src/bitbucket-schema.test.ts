import { describe, expect, it } from 'vitest';
import type { BitbucketBranch, BitbucketPullRequest, BitbucketUser } from './bitbucket-schema.ts';

// These checks run in the typecheck: each @ts-expect-error must stay an error, or tsc fails.
describe('Strict Bitbucket schema types', () => {
  it('refuse a field that Atlassian’s schema lacks, and accept the ones it has', () => {
    const user: BitbucketUser = {
      type: 'user',
      display_name: 'Alice',
      uuid: '{1}',
      account_id: '557058:1',
      nickname: 'alice',
      links: { avatar: { href: 'a' }, html: { href: 'h' }, self: { href: 's' } },
    };
    // @ts-expect-error: `username` left the schema (it is `nickname` now).
    const withUsername: BitbucketUser = { type: 'user', username: 'alice' };
    // @ts-expect-error: a misspelt field fails.
    const misspelt: BitbucketBranch = { type: 'branch', nmae: 'main' };
    // @ts-expect-error: a pull request's state is one of Atlassian's four.
    const badState: BitbucketPullRequest = { type: 'pullrequest', state: 'CLOSED' };
    const author: BitbucketPullRequest = { type: 'pullrequest', author: user };
    expect([user, withUsername, misspelt, badState, author]).toHaveLength(5);
  });
});
