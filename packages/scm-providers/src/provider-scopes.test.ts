import { describe, expect, it } from 'vitest';
import { describeMissingScopes, expandScopes, findMissingScopes } from './provider-scopes.ts';

const expandBitbucketScopes = (granted: string[]) => expandScopes('bitbucket', granted);

const sorted = (scopes: Set<string>) => [...scopes].sort();

describe('expandScopes for GitLab', () => {
  it('api covers every scope the product asks for; write_repository covers read_repository; read_api covers read_user', () => {
    expect(findMissingScopes('gitlab', ['api'])).toEqual([]);
    expect(findMissingScopes('gitlab', ['read_api write_repository'])).toEqual([]);
    expect(findMissingScopes('gitlab', ['read_user read_api read_repository write_repository'])).toEqual([]);
    expect(findMissingScopes('gitlab', ['read_user', 'read_repository', 'write_repository']).map((s) => s.scope)).toEqual(['read_api']);
    expect(findMissingScopes('gitlab', ['read_user', 'read_api', 'read_repository']).map((s) => s.scope)).toEqual(['write_repository']);
    expect(expandScopes('gitlab', ['read_repository']).has('write_repository')).toBe(false);
  });
});

describe('expandScopes for GitHub', () => {
  it('repo implies public_repo; user implies read:user and user:email; workflow implies nothing', () => {
    expect(expandScopes('github', ['repo, user']).has('public_repo')).toBe(true);
    expect([...expandScopes('github', ['user'])].sort()).toEqual(['read:user', 'user', 'user:email', 'user:follow']);
    expect([...expandScopes('github', ['workflow'])]).toEqual(['workflow']);
    expect(expandScopes('github', ['admin:org']).has('read:org')).toBe(true);
  });

  it('reads the X-OAuth-Scopes header form (comma and space) and the token answer form (comma)', () => {
    expect(findMissingScopes('github', ['repo, read:user, user:email, workflow'])).toEqual([]);
    expect(findMissingScopes('github', ['repo,user,workflow'])).toEqual([]);
    expect(findMissingScopes('github', ['public_repo,read:user,user:email,workflow']).map((s) => s.scope)).toEqual(['repo']);
  });
});

describe('expandScopes for Bitbucket', () => {
  it('keeps granted scopes, including ones it does not know', () => {
    expect(sorted(expandBitbucketScopes(['account', 'wiki', 'something:new']))).toEqual([
      'account',
      'email',
      'something:new',
      'wiki',
    ]);
  });

  it('repository:write implies repository', () => {
    expect(sorted(expandBitbucketScopes(['repository:write']))).toEqual([
      'repository',
      'repository:write',
    ]);
  });

  it('pullrequest implies repository', () => {
    expect(sorted(expandBitbucketScopes(['pullrequest']))).toEqual(['pullrequest', 'repository']);
  });

  it('pullrequest:write implies pullrequest and repository:write, and so repository', () => {
    expect(sorted(expandBitbucketScopes(['pullrequest:write']))).toEqual([
      'pullrequest',
      'pullrequest:write',
      'repository',
      'repository:write',
    ]);
  });

  it('account implies email (one table: the emulator grants the same)', () => {
    expect(expandBitbucketScopes(['account']).has('email')).toBe(true);
    expect(expandBitbucketScopes(['project']).has('repository')).toBe(true);
  });

  it('a write level implies its read level', () => {
    expect(expandBitbucketScopes(['issue:write']).has('issue')).toBe(true);
    expect(expandBitbucketScopes(['account:write']).has('account')).toBe(true);
    expect(expandBitbucketScopes(['snippet:write']).has('snippet')).toBe(true);
    expect(expandBitbucketScopes(['team:write']).has('team')).toBe(true);
    expect(expandBitbucketScopes(['pipeline:write']).has('pipeline')).toBe(true);
    expect(expandBitbucketScopes(['runner:write']).has('runner')).toBe(true);
    expect(expandBitbucketScopes(['project:admin']).has('project')).toBe(true);
  });

  it('repository:admin implies nothing (Bitbucket: admin features only, not the contents)', () => {
    expect(sorted(expandBitbucketScopes(['repository:admin']))).toEqual(['repository:admin']);
  });

  it('reads a space-separated string as Bitbucket’s token response gives it', () => {
    expect(sorted(expandBitbucketScopes(['account  repository:write ', '']))).toEqual([
      'account',
      'email',
      'repository',
      'repository:write',
    ]);
  });

  it('answers an empty set for no scopes', () => {
    expect(expandBitbucketScopes([]).size).toBe(0);
  });
});

describe('findMissingScopes', () => {
  it('is empty when the consumer has exactly the required checkboxes', () => {
    expect(
      findMissingScopes('bitbucket', [
        'account',
        'repository',
        'repository:write',
        'pullrequest',
        'issue',
      ]),
    ).toEqual([]);
  });

  it('is empty when implied scopes cover the rest (write ⇒ read)', () => {
    expect(
      findMissingScopes('bitbucket', ['account:write', 'pullrequest:write', 'issue:write']),
    ).toEqual([]);
  });

  it('names every required checkbox when nothing was granted, in the form’s order', () => {
    expect(findMissingScopes('bitbucket', []).map((s) => s.checkbox)).toEqual([
      'Account: Read',
      'Repositories: Read',
      'Repositories: Write',
      'Pull requests: Read',
      'Issues: Read',
    ]);
  });

  it('names the one missing checkbox with its reason', () => {
    expect(findMissingScopes('bitbucket', ['account', 'repository:write', 'pullrequest'])).toEqual([
      { scope: 'issue', checkbox: 'Issues: Read', reason: 'show linked issues' },
    ]);
  });

  it('does not count repository:admin as read or write access', () => {
    expect(
      findMissingScopes('bitbucket', ['account', 'repository:admin', 'issue']).map((s) => s.scope),
    ).toEqual(['repository', 'repository:write', 'pullrequest']);
  });

  it("names Azure DevOps' vso.code_write when the grant lacks it", () => {
    expect(findMissingScopes('azure-devops', []).map((s) => s.scope)).toEqual(['vso.code_write']);
  });
});

describe('describeMissingScopes', () => {
  it('names one checkbox and its reason', () => {
    expect(
      describeMissingScopes(
        'bitbucket',
        findMissingScopes('bitbucket', ['account', 'pullrequest:write']),
      ),
    ).toBe(
      'The Bitbucket OAuth consumer is missing permission: Issues: Read (show linked issues). Tick it in the consumer’s settings on Bitbucket, then connect again.',
    );
  });

  it('names several checkboxes', () => {
    expect(
      describeMissingScopes('bitbucket', findMissingScopes('bitbucket', ['repository', 'issue'])),
    ).toBe(
      'The Bitbucket OAuth consumer is missing permissions: Account: Read (git author name and e-mail), Repositories: Write (push), Pull requests: Read (start from a pull request). Tick them in the consumer’s settings on Bitbucket, then connect again.',
    );
  });

  it('says so when nothing is missing', () => {
    expect(describeMissingScopes('bitbucket', [])).toBe(
      'The Bitbucket OAuth consumer has every permission Runner Console needs.',
    );
  });
});
