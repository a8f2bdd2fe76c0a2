import { describe, expect, it } from 'vitest';
import { acceptConnectMessage, originOfUrl } from './accept-connect-message.ts';

const runnerOrigin = 'http://localhost:8081';
const dashboardOrigin = 'http://localhost:8080';
const popup = { name: 'the popup we opened' };
const good = {
  type: 'runner-console:connect-result',
  flowId: 'flow-1',
  status: 'connected',
  failureCode: null,
  message: 'Bitbucket is now connected as Alice.',
  accountName: 'Alice',
};

describe('acceptConnectMessage', () => {
  it('accepts a well-formed result from the runner origin and our popup', () => {
    expect(acceptConnectMessage({ origin: runnerOrigin, source: popup, data: good }, { runnerOrigin, dashboardOrigin, popup })).toEqual(good);
  });

  it('accepts the finish page on the dashboard origin, from our popup only', () => {
    expect(acceptConnectMessage({ origin: dashboardOrigin, source: popup, data: good }, { runnerOrigin, dashboardOrigin, popup })).toEqual(good);
    expect(acceptConnectMessage({ origin: dashboardOrigin, source: { other: true }, data: good }, { runnerOrigin, dashboardOrigin, popup })).toBeNull();
  });

  it('ignores a message from a foreign origin', () => {
    for (const origin of ['http://localhost:8082', 'https://evil.example', 'http://localhost:80811', 'null']) {
      expect(acceptConnectMessage({ origin, source: popup, data: good }, { runnerOrigin, dashboardOrigin, popup })).toBeNull();
    }
  });

  it('ignores a message from another window, even on the runner origin', () => {
    expect(acceptConnectMessage({ origin: runnerOrigin, source: { other: true }, data: good }, { runnerOrigin, dashboardOrigin, popup })).toBeNull();
    expect(acceptConnectMessage({ origin: runnerOrigin, source: null, data: good }, { runnerOrigin, dashboardOrigin, popup })).toBeNull();
  });

  it('ignores everything when no popup is open or the runner has no public URL', () => {
    expect(acceptConnectMessage({ origin: runnerOrigin, source: null, data: good }, { runnerOrigin, dashboardOrigin, popup: null })).toBeNull();
    expect(acceptConnectMessage({ origin: 'null', source: popup, data: good }, { runnerOrigin: null, dashboardOrigin, popup })).toBeNull();
  });

  it('ignores malformed data', () => {
    const malformed: unknown[] = [
      undefined,
      'Bitbucket is now connected as Alice.',
      { ...good, type: 'something-else' },
      { ...good, status: 'maybe' },
      { ...good, failureCode: 'made_up' },
      { ...good, message: 42 },
      { type: good.type },
    ];
    for (const data of malformed) {
      expect(acceptConnectMessage({ origin: runnerOrigin, source: popup, data }, { runnerOrigin, dashboardOrigin, popup })).toBeNull();
    }
  });
});

describe('originOfUrl', () => {
  it('reduces a URL to its origin and refuses what is not one', () => {
    expect(originOfUrl('http://localhost:8081/oauth/callback')).toBe(runnerOrigin);
    expect(originOfUrl('not a url')).toBeNull();
    expect(originOfUrl(null)).toBeNull();
  });
});
