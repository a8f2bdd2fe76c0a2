import { describe, expect, it } from 'vitest';
import { classifyProviderHost } from './classify-provider-host.ts';
import { MAX_URL_INPUT_LENGTH } from './read-url-like.ts';

const SELF_HOSTED = 'Bitbucket (Cloud) is bitbucket.org only. For a self-hosted Bitbucket (Data Center), choose Bitbucket Data Center in the provider list and enter its host there.';

describe('classifyProviderHost', () => {
  describe('Bitbucket: bitbucket.org only', () => {
    it.each([
      'bitbucket.org',
      '  bitbucket.org  ',
      'BitBucket.ORG',
      'bitbucket.org.',
      'www.bitbucket.org',
      'https://bitbucket.org',
      'https://bitbucket.org/',
      'http://bitbucket.org/acme/widgets?x=1#y',
      'https://bitbucket.org:443/',
      'https://alice@bitbucket.org/acme/widgets.git',
      'git@bitbucket.org:acme/widgets.git',
    ])('accepts %s as bitbucket.org', (input) => {
      expect(classifyProviderHost('bitbucket', input)).toEqual({ ok: true, host: 'bitbucket.org' });
    });

    it.each([
      'https://bitbucket.mycompany.com',
      'bitbucket.mycompany.com:7990',
      'git.example.com',
      'bitbucket.org:8443',
      'api.bitbucket.org',
    ])('refuses %s as self-hosted', (input) => {
      expect(classifyProviderHost('bitbucket', input)).toEqual({
        ok: false,
        reason: 'self_hosted_unsupported',
        message: SELF_HOSTED,
      });
    });
  });

  describe('Bitbucket Data Center: any host but Bitbucket Cloud’s', () => {
    it('keeps a company host, and answers a Bitbucket Cloud URL with the Bitbucket choice', () => {
      expect(classifyProviderHost('bitbucket-data-center', 'https://bitbucket.acme.test/projects/ACME')).toEqual({ ok: true, host: 'bitbucket.acme.test' });
      for (const input of ['bitbucket.org', 'https://bitbucket.org/acme/widgets', 'api.bitbucket.org']) {
        expect(classifyProviderHost('bitbucket-data-center', input)).toEqual({
          ok: false,
          reason: 'other_provider',
          message: 'That is Bitbucket Cloud, not a Data Center server: choose Bitbucket in the provider list instead.',
        });
      }
      expect(classifyProviderHost('bitbucket-data-center', '')).toMatchObject({ ok: false, reason: 'invalid', message: 'Enter a host name, such as bitbucket.example.com.' });
    });
  });

  describe('editable hosts (GitLab, GitHub, Azure DevOps)', () => {
    it('keeps a self-hosted host and its non-default port', () => {
      expect(
        classifyProviderHost('gitlab', 'https://GitLab.MyCompany.com:8443/group/project'),
      ).toEqual({
        ok: true,
        host: 'gitlab.mycompany.com:8443',
      });
      expect(classifyProviderHost('gitlab', 'gitlab.mycompany.com')).toEqual({
        ok: true,
        host: 'gitlab.mycompany.com',
      });
    });

    it('folds www. on the default host', () => {
      expect(classifyProviderHost('github', 'https://www.github.com/')).toEqual({
        ok: true,
        host: 'github.com',
      });
    });

    it('drops the port of an ssh clone URL, which is not the web host’s', () => {
      expect(
        classifyProviderHost('azure-devops', 'ssh://git@ssh.dev.azure.com:22/v3/org/project/repo'),
      ).toEqual({ ok: true, host: 'ssh.dev.azure.com' });
    });

    it('turns an internationalised host into punycode', () => {
      expect(classifyProviderHost('gitlab', 'gitlab.bücher.example')).toEqual({
        ok: true,
        host: 'gitlab.xn--bcher-kva.example',
      });
    });
  });

  describe('invalid', () => {
    it.each([
      ['empty', ''],
      ['blank', '   '],
      ['a space inside', 'bit bucket.org'],
      ['another scheme', 'ftp://bitbucket.org'],
      ['javascript:', 'javascript:alert(1)'],
      ['no host', 'https://'],
      ['a bad port', 'bitbucket.org:99999'],
      ['too long', `bitbucket.org/${'a'.repeat(MAX_URL_INPUT_LENGTH)}`],
    ])('refuses %s', (_what, input) => {
      expect(classifyProviderHost('bitbucket', input)).toEqual({
        ok: false,
        reason: 'invalid',
        message: 'Enter a host name, such as bitbucket.org.',
      });
    });

    it('refuses a value that is not a string', () => {
      expect(classifyProviderHost('gitlab', undefined as unknown as string)).toMatchObject({
        ok: false,
        reason: 'invalid',
      });
    });

    it('names the provider’s default host in the message', () => {
      expect(classifyProviderHost('gitlab', '')).toMatchObject({
        message: 'Enter a host name, such as gitlab.com.',
      });
    });
  });
});
