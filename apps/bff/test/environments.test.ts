import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBff } from './test-bff.ts';
import { startSignedInBff } from './signed-in-bff.ts';
import { type TestApiClient } from './api-client.ts';

let t: TestBff;
let admin: TestApiClient;
let dev: TestApiClient;
beforeAll(async () => {
  ({ bff: t, admin, dev } = await startSignedInBff());
});
afterAll(() => t.close());

describe('New environment: a URL that cannot work', () => {
  it('gets one message, the one the page shows while typing, and is refused before the runner is asked', async () => {
    const runner = await admin.request('POST', '/api/runners', { name: `env ${Math.random()}` });
    const runnerId = runner.body.runner.id;
    const cases: [string, RegExp][] = [
      // A host that no provider claims (a supported cloud host would go on to the runner).
      ['https://git.example.com/acme/widgets', /^No integration serves git\.example\.com:/],
      ['hello there', /^That is not a link: a link has no spaces\./],
      ['https://bitbucket.org/acme', /./],
    ];
    for (const [contextUrl, message] of cases) {
      const res = await dev.request('POST', '/api/environments', { contextUrl, runnerId });
      expect(res.status, contextUrl).toBe(400);
      expect(res.body.error.message).toMatch(message);
      // The field error and the message are the same words, and none sends the developer to an admin.
      expect(res.body.error.fields.contextUrl).toBe(res.body.error.message);
      expect(res.body.error.message).not.toMatch(/admin/i);
    }
  });
});
