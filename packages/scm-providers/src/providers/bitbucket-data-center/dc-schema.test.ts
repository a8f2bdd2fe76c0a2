import { describe, expect, it } from 'vitest';
import type { DcBranch, DcPage, DcPullRequest, DcRepository, DcUser } from './dc-schema.ts';

// These checks run in the typecheck: each @ts-expect-error must stay an error, or tsc fails.
describe('Strict Bitbucket Data Center schema types', () => {
  it('refuse a field that Atlassian’s description lacks, and accept the ones it has', () => {
    const user: DcUser = { name: 'alice', slug: 'alice', displayName: 'Alice', emailAddress: 'alice@acme.test', id: 1, active: true, type: 'NORMAL', links: { self: [{ href: 'h' }] } };
    // @ts-expect-error: Data Center's user has `displayName`, not Cloud's `display_name`.
    const cloudName: DcUser = { display_name: 'Alice' };
    // @ts-expect-error: a link list holds `{href}` objects, not strings.
    const badLink: DcRepository = { slug: 'widgets', links: { clone: ['https://x'] } };
    // @ts-expect-error: a misspelt field fails.
    const misspelt: DcBranch = { displayId: 'main', latestComit: 'abc' };
    // @ts-expect-error: a pull request's state is one of the description's three.
    const badState: DcPullRequest = { state: 'CLOSED' };
    const paged: DcPage<DcUser> = { start: 0, limit: 25, size: 1, isLastPage: true, values: [user] };
    expect([user, cloudName, badLink, misspelt, badState, paged]).toHaveLength(6);
  });
});
