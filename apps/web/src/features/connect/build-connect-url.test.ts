import { describe, expect, it } from 'vitest';
import { buildConnectUrl, centredPopupFeatures } from './build-connect-url.ts';

const authorizeUrl = 'http://localhost:8080/api/connect/start?runnerId=r1&host=bitbucket.org';
const base = 'http://localhost:8080';

describe('buildConnectUrl', () => {
  it('adds csrf and mode for the popup', () => {
    const url = new URL(buildConnectUrl(authorizeUrl, { csrf: 'tok', mode: 'popup', base }));
    expect(Object.fromEntries(url.searchParams)).toEqual({ runnerId: 'r1', host: 'bitbucket.org', csrf: 'tok', mode: 'popup' });
  });

  it('adds the path to come back to for the same tab', () => {
    const url = new URL(buildConnectUrl(authorizeUrl, { csrf: 'tok', mode: 'tab', returnTo: '/environments/new?contextUrl=x', base }));
    expect(url.searchParams.get('mode')).toBe('tab');
    expect(url.searchParams.get('returnTo')).toBe('/environments/new?contextUrl=x');
  });

  it('refuses a return address outside the dashboard', () => {
    expect(() => buildConnectUrl(authorizeUrl, { csrf: 't', mode: 'tab', returnTo: '//evil.example/', base })).toThrow();
    expect(() => buildConnectUrl(authorizeUrl, { csrf: 't', mode: 'tab', returnTo: 'https://evil.example/', base })).toThrow();
    // These pass a prefix check, and a URL parser reads them as http://evil.example/.
    expect(() => buildConnectUrl(authorizeUrl, { csrf: 't', mode: 'tab', returnTo: '/\\evil.example/x', base })).toThrow();
    expect(() => buildConnectUrl(authorizeUrl, { csrf: 't', mode: 'tab', returnTo: '/\t/evil.example', base })).toThrow();
  });
});

describe('centredPopupFeatures', () => {
  it('centres the popup over the window', () => {
    expect(centredPopupFeatures({ screenX: 100, screenY: 50, outerWidth: 1400, outerHeight: 900 })).toBe(
      'popup,width=600,height=720,left=500,top=140',
    );
  });
});
