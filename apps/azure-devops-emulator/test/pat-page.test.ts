// User settings › Personal access tokens, as a developer meets it under `npm start`: sign in, pick
// the organization, Code (Read & write) and an expiry, and the token shown works on the REST API.
import { BrowserClient, readInputs } from '@runner-console/emulator-kit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulators, type RunningEmulators } from './harness.ts';

let emulators: RunningEmulators;
beforeAll(async () => {
  emulators = await startEmulators();
});
afterAll(() => emulators.close());

it('makes a personal access token that the REST API takes with Basic and an empty user name', async () => {
  const browser = new BrowserClient(emulators.devopsUrl);
  const hidden = (page: string) => Object.fromEntries(readInputs(page).filter((input) => input.type === 'hidden' && input.name).map((input) => [input.name!, input.value ?? '']));
  const signIn = await (await browser.get('/_usersSettings/tokens')).text();
  await browser.followRedirects(await browser.postForm('/_usersSettings/tokens/sign-in', { ...hidden(signIn), login: 'alice', password: 'alice' }));
  const form = await (await browser.get('/_usersSettings/tokens')).text();
  expect(form).toContain('Read &amp; write');
  const made = await (await browser.postForm('/_usersSettings/tokens', { ...hidden(form), organization: 'acme', scope: 'vso.code_write', expires: '2099-12-31' })).text();
  const token = /<p><code>([a-z2-7]{52})<\/code><\/p>/.exec(made)?.[1];
  expect(token).toBeTruthy();
  const profile = await fetch(`${emulators.devopsUrl}/_apis/profile/profiles/me?api-version=7.1`, { headers: { authorization: `Basic ${Buffer.from(`:${token}`).toString('base64')}` } });
  expect(await profile.json()).toMatchObject({ displayName: 'Alice', emailAddress: 'alice@acme.test' });
});
