import { describe, expect, it } from 'vitest';
import { appAuthorizationsUrlFor, getScmProvider, isScmProviderId, scmProviders } from './scm-provider-catalogue.ts';
import type { ScmProviderId } from './scm-provider.ts';
import { pullRequestLabel } from './provider-wording.ts';

const SUPPORTED: readonly ScmProviderId[] = ['bitbucket', 'bitbucket-data-center', 'github', 'gitlab', 'azure-devops'];

describe('scmProviders', () => {
  it('lists GitHub, GitLab, Bitbucket, Bitbucket Data Center, Azure DevOps in display order', () => {
    expect(scmProviders.map((p) => [p.id, p.name])).toEqual([
      ['github', 'GitHub'],
      ['gitlab', 'GitLab'],
      ['bitbucket', 'Bitbucket'],
      ['bitbucket-data-center', 'Bitbucket Data Center'],
      ['azure-devops', 'Azure DevOps'],
    ]);
  });

  it('has default hosts', () => {
    expect(Object.fromEntries(scmProviders.map((p) => [p.id, p.defaultHost]))).toEqual({
      github: 'github.com',
      gitlab: 'gitlab.com',
      bitbucket: 'bitbucket.org',
      // Self-hosted only: the admin types the host.
      'bitbucket-data-center': '',
      'azure-devops': 'dev.azure.com',
    });
  });

  it('supports Bitbucket, Bitbucket Data Center, GitHub, GitLab and Azure DevOps, with their OAuth facts; the others say why', () => {
    for (const provider of scmProviders) {
      expect(provider.supported).toBe(SUPPORTED.includes(provider.id));
      expect(provider.oauth !== undefined).toBe(provider.supported);
      if (!provider.supported)
        expect(provider.unsupportedReason).toBe(`${provider.name} is not available yet.`);
      else expect(provider.unsupportedReason).toBeUndefined();
    }
  });

  it('lets only Bitbucket’s host not be edited, and says why', () => {
    for (const provider of scmProviders) {
      expect(provider.hostEditable).toBe(provider.id !== 'bitbucket');
      expect(provider.selfHostedUnsupportedMessage !== undefined).toBe(!provider.hostEditable);
    }
    expect(getScmProvider('bitbucket').selfHostedUnsupportedMessage).toBe(
      'Bitbucket (Cloud) is bitbucket.org only. For a self-hosted Bitbucket (Data Center), choose Bitbucket Data Center in the provider list and enter its host there.',
    );
  });

  it('gives every provider a single-path icon and an https docs link', () => {
    for (const { icon, docs } of scmProviders) {
      expect(icon.viewBox).toBe('0 0 24 24');
      expect(icon.path).toMatch(/^M[\d .,a-zA-Z-]+$/);
      expect(new URL(docs.oauthConsumerUrl).protocol).toBe('https:');
    }
  });

  it('is frozen', () => {
    expect(Object.isFrozen(scmProviders)).toBe(true);
  });
});

describe('Bitbucket facts', () => {
  const bitbucket = getScmProvider('bitbucket');

  it('has the OAuth 2 paths, API prefix and the consumer form’s labels', () => {
    expect(bitbucket.oauth).toMatchObject({
      authorizePath: '/site/oauth2/authorize',
      tokenPath: '/site/oauth2/access_token',
      apiBasePath: '/2.0',
      clientIdLabel: 'Key',
      clientSecretLabel: 'Secret',
    });
  });

  it('has no revoke endpoint, and links the app authorizations page instead', () => {
    expect(bitbucket.oauth?.revokeEndpoint).toBeNull();
    expect(bitbucket.docs.appAuthorizationsUrl).toBe(
      'https://bitbucket.org/account/settings/app-authorizations/',
    );
  });

  it('links the consumer docs', () => {
    expect(bitbucket.docs.oauthConsumerUrl).toBe(
      'https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/',
    );
  });

  it('requires exactly these scopes, with their checkboxes and reasons', () => {
    expect(bitbucket.oauth?.requiredScopes).toEqual([
      { scope: 'account', checkbox: 'Account: Read', reason: 'git author name and e-mail' },
      {
        scope: 'repository',
        checkbox: 'Repositories: Read',
        reason: 'clone and parse context URLs',
      },
      { scope: 'repository:write', checkbox: 'Repositories: Write', reason: 'push' },
      {
        scope: 'pullrequest',
        checkbox: 'Pull requests: Read',
        reason: 'start from a pull request',
      },
      { scope: 'issue', checkbox: 'Issues: Read', reason: 'show linked issues' },
    ]);
  });
});

describe('getScmProvider', () => {
  it('finds each provider by id', () => {
    for (const provider of scmProviders) expect(getScmProvider(provider.id)).toBe(provider);
  });

  it('throws for an id that is not in the catalogue', () => {
    expect(() => getScmProvider('svn' as ScmProviderId)).toThrow('Unknown SCM provider: svn');
  });
});

describe('isScmProviderId', () => {
  it('accepts catalogue ids only', () => {
    expect(isScmProviderId('bitbucket')).toBe(true);
    expect(isScmProviderId('azure-devops')).toBe(true);
    expect(isScmProviderId('Bitbucket')).toBe(false);
    expect(isScmProviderId(undefined)).toBe(false);
  });

  it('words a pull request as the provider does: GitLab’s merge request !1, others’ pull request #1', () => {
    expect(pullRequestLabel(getScmProvider('gitlab'), 1)).toBe('Merge request !1');
    expect(pullRequestLabel(getScmProvider('github'), 1)).toBe('Pull request #1');
    expect(pullRequestLabel(undefined, 2)).toBe('Pull request #2');
  });
});

describe('appAuthorizationsUrlFor', () => {
  it("links the provider's own page on its cloud host, and the same page on a self-managed host", () => {
    expect(appAuthorizationsUrlFor('github', 'github.com')).toBe('https://github.com/settings/applications');
    expect(appAuthorizationsUrlFor('github', 'GHE.acme.corp')).toBe('https://ghe.acme.corp/settings/applications');
    expect(appAuthorizationsUrlFor('gitlab', 'gitlab.acme.corp')).toBe('https://gitlab.acme.corp/-/user_settings/applications');
  });

  it("never sends a self-hosted server's user to another provider's or another host's page", () => {
    expect(appAuthorizationsUrlFor('bitbucket-data-center', 'bitbucket.acme.test')).toBeNull();
    // Azure DevOps Server has no OAuth, so no app authorizations.
    expect(appAuthorizationsUrlFor('azure-devops', 'tfs.acme.test')).toBeNull();
    expect(appAuthorizationsUrlFor('azure-devops', 'dev.azure.com')).toBe('https://myapps.microsoft.com');
  });
});
