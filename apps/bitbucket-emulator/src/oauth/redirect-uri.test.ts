import { describe, expect, it } from 'vitest';
import { redirectUriMatchesCallback } from './redirect-uri.ts';

const CALLBACK = 'https://app.example.test/oauth/callback';

describe('redirectUriMatchesCallback', () => {
  it.each([CALLBACK, `${CALLBACK}?flow=1`, `${CALLBACK}/step`])('accepts %s', (uri) => {
    expect(redirectUriMatchesCallback(uri, CALLBACK)).toBe(true);
  });

  it.each([
    'https://app.example.test/oauth',
    'https://app.example.test.evil.test/oauth/callback',
    'http://app.example.test/oauth/callback',
    `${CALLBACK}#fragment`,
    'not a url',
  ])('refuses %s', (uri) => {
    expect(redirectUriMatchesCallback(uri, CALLBACK)).toBe(false);
  });

  it('refuses a host that merely starts with the callback host', () => {
    expect(
      redirectUriMatchesCallback('https://app.example.test.evil.test/', 'https://app.example.test'),
    ).toBe(false);
  });

  it('refuses everything for a consumer without a callback URL', () => {
    expect(redirectUriMatchesCallback(CALLBACK, null)).toBe(false);
  });
});
