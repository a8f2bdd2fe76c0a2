import { describe, expect, it } from 'vitest';
import { hostOfContextUrl } from './host-of-context-url.ts';

describe('hostOfContextUrl', () => {
  it.each([
    ['https://bitbucket.org/acme/widgets', 'bitbucket.org'],
    ['https://www.bitbucket.org/acme/widgets', 'bitbucket.org'],
    ['http://Bitbucket.org/acme/widgets/', 'bitbucket.org'],
    ['bitbucket.org/acme/widgets', 'bitbucket.org'],
    ['https://alice@bitbucket.org/acme/widgets.git', 'bitbucket.org'],
    ['git@bitbucket.org:acme/widgets.git', 'bitbucket.org'],
    ['ssh://git@bitbucket.org/acme/widgets.git', 'bitbucket.org'],
    ['https://github.com/acme/widgets/pull/1', 'github.com'],
    ['https://gitlab.mycompany.com:8443/group/project', 'gitlab.mycompany.com:8443'],
    [
      'https://bitbucket.mycompany.com/projects/ACME/repos/widgets/browse',
      'bitbucket.mycompany.com',
    ],
  ])('%s is on %s', (url, host) => {
    expect(hostOfContextUrl(url)).toBe(host);
  });

  it.each([
    '',
    'not a url',
    'acme/widgets',
    'mailto:dev@acme.test',
    'ftp://bitbucket.org/acme/widgets',
    'https://localhost/x',
  ])('answers null for %j', (url) => {
    expect(hostOfContextUrl(url)).toBeNull();
  });

  it('answers null for a value that is not a string', () => {
    expect(hostOfContextUrl(42 as unknown as string)).toBeNull();
  });
});
