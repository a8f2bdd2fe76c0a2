import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPathFor } from './safe-next-path.ts';

describe('safeNextPath', () => {
  it('keeps a path on this site, with its query and hash', () => {
    expect(safeNextPath('/settings/runners/run_1?tab=x#top')).toBe(
      '/settings/runners/run_1?tab=x#top',
    );
  });
  it.each([
    null,
    '',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    'settings',
    '/\nx',
    '/sign-in',
  ])('refuses %j and goes home (each role has its start page)', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });
});

describe('signInPathFor', () => {
  it('remembers where the person was', () => {
    expect(signInPathFor({ pathname: '/settings/runners/r 1', search: '?a=1', hash: '' })).toBe(
      '/sign-in?next=%2Fsettings%2Frunners%2Fr%201%3Fa%3D1',
    );
  });
  it('leaves out the default page', () => {
    expect(signInPathFor({ pathname: '/', search: '', hash: '' })).toBe('/sign-in');
  });
});
