import { describe, expect, it } from 'vitest';
import {
  expandScopes,
  formatScopeList,
  parseScopeList,
  PERMISSION_GROUPS,
  SCOPE_DESCRIPTIONS,
  SCOPES,
} from './scopes.ts';

describe('expandScopes', () => {
  it.each([
    [['repository:write'], ['repository', 'repository:write']],
    [['pullrequest'], ['repository', 'pullrequest']],
    [['pullrequest:write'], ['repository', 'repository:write', 'pullrequest', 'pullrequest:write']],
    [['account'], ['email', 'account']],
    [['account:write'], ['email', 'account', 'account:write']],
    [['project:admin'], ['project', 'project:write', 'project:admin', 'repository']],
    [['issue:write'], ['issue', 'issue:write']],
    [['snippet:write'], ['snippet', 'snippet:write']],
    [['team:write'], ['team', 'team:write']],
    [['pipeline:variable'], ['pipeline', 'pipeline:write', 'pipeline:variable']],
    [['runner:write'], ['runner', 'runner:write']],
  ] as const)('expands %j to %j', (given, expected) => {
    expect(new Set(expandScopes(given))).toEqual(new Set(expected));
  });

  it('does not let repository:admin or repository:delete imply read or write, as documented', () => {
    expect(expandScopes(['repository:admin', 'repository:delete'])).toEqual([
      'repository:admin',
      'repository:delete',
    ]);
  });

  it("expands the product's permissions", () => {
    expect(
      expandScopes(['account', 'repository', 'repository:write', 'pullrequest', 'issue']),
    ).toEqual(['email', 'account', 'repository', 'repository:write', 'pullrequest', 'issue']);
  });
});

describe('scope lists', () => {
  it('round-trip in catalogue order and drop unknown names', () => {
    expect(formatScopeList(['issue', 'account'])).toBe('account issue');
    expect(parseScopeList('issue bogus account')).toEqual(['account', 'issue']);
  });

  it('offer every scope exactly once on the form, each with a description', () => {
    const onForm = PERMISSION_GROUPS.flatMap((group) =>
      group.permissions.map((permission) => permission.scope),
    );
    expect([...onForm].sort()).toEqual([...SCOPES].sort());
    for (const scope of SCOPES) expect(SCOPE_DESCRIPTIONS[scope]).toBeTruthy();
  });
});
