import { describe, expect, it } from 'vitest';
import { isDashboardPath, resolveDashboardPath } from './dashboard-path.ts';

const origin = 'https://console.example';

describe('resolveDashboardPath', () => {
  it('keeps paths inside the dashboard', () => {
    expect(resolveDashboardPath('/environments/new?contextUrl=https%3A%2F%2Fbitbucket.org%2Facme', origin)?.toString()).toBe(
      'https://console.example/environments/new?contextUrl=https%3A%2F%2Fbitbucket.org%2Facme',
    );
    expect(resolveDashboardPath('/', origin)?.origin).toBe(origin);
    expect(isDashboardPath('/settings/git-authentications#top')).toBe(true);
  });

  // Each of these resolves to another host with `new URL(value, origin)`, or is not a path at all.
  const refused = [
    '//evil.example/x',
    '/\\evil.example/x',
    '\\\\evil.example/x',
    '/\t/evil.example',
    '/\n/evil.example',
    '/\r/evil.example',
    '/ /evil.example',
    '\t//evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    'evil.example',
    '',
    '/\u0000',
    '/a\u202e',
    `/${'a'.repeat(2001)}`,
  ];
  it.each(refused)('refuses %j', (value) => {
    expect(resolveDashboardPath(value, origin)).toBeNull();
    expect(isDashboardPath(value)).toBe(false);
  });

  it('never answers another origin, for any input', () => {
    // A broad sweep of short strings built from the characters that matter to URL parsing.
    const alphabet = ['/', '\\', '\t', '\n', ' ', '.', ':', '@', '%', '?', '#', 'e', '5', 'c'];
    const values: string[] = [];
    for (const a of alphabet) for (const b of alphabet) for (const c of alphabet) values.push(`/${a}${b}${c}evil.example`);
    for (const v of values) {
      const url = resolveDashboardPath(v, origin);
      if (url) expect(url.origin).toBe(origin);
    }
  });
});
