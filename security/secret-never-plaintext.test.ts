import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealClientSecret } from '@runner-console/envelope';
import { startTestStack, type TestBrowser, type TestStack } from '../test-support/test-stack.ts';
import { authorizeAtBitbucket, createConsumer, localRunnerId, signedInBrowser, finishConnect } from '../test-support/connect-journey.ts';
import { check } from './support/record-security-row.ts';

/**
 * Item 1: a full admin flow with a random secret (the consumer's Secret), then every place the BFF
 * could have kept it is scanned: everything it received (HTTP and the runner link, unmasked), every
 * response it sent, its log, every file in its data folder (SQLite, WAL, SHM) and the OpenAPI document.
 */
let stack: TestStack;
let admin: TestBrowser;
let canary: string;
let clientId: string;

/** Every regular file (what is at rest): the runner's git credential socket is not one, and cannot be read. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : e.isFile() ? [path.join(dir, e.name)] : []));
}

beforeAll(async () => {
  stack = await startTestStack({ recordBff: true });
  admin = await signedInBrowser(stack, 'admin@acme.test', 'admin');
  const consumer = await createConsumer(stack);
  canary = consumer.secret;
  clientId = consumer.key;
  expect(canary.length).toBeGreaterThanOrEqual(20);

  // The admin flow, as the browser runs it: read the schema, seal in "the browser", save, validate.
  const runnerId = await localRunnerId(stack, admin);
  const schema = (await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/configuration-schema`)).body;
  const envelope = await sealClientSecret({ secret: canary, publicJwk: schema.publicKey, runnerId, host: 'bitbucket.org' });
  const created = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations`, {
    provider: 'bitbucket',
    host: 'bitbucket.org',
    oauthEnabled: true,
    clientId,
    oauthClientSecretEnvelope: envelope,
  });
  expect(created.status).toBe(201);
  const validated = await admin.api(stack.dashboard, 'POST', `/api/runners/${runnerId}/integrations/${created.body.id}/validate`);
  // The runner really opened the secret and Bitbucket accepted it: the canary was used where it belongs.
  expect(validated.body.validation.status).toBe('valid');
  await admin.api(stack.dashboard, 'PATCH', `/api/runners/${runnerId}/integrations/${created.body.id}`, { clientId });
  await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/integrations`);
  await admin.api(stack.dashboard, 'GET', `/api/runners/${runnerId}/audit-log`);

  // A developer connects, which makes the runner use the secret at Bitbucket's token endpoint.
  const dev = await signedInBrowser(stack, 'dev@acme.test', 'dev');
  const page = await finishConnect(dev, await authorizeAtBitbucket(stack, dev, runnerId));
  expect(page.text).toContain('now connected');
  await new Promise((r) => setTimeout(r, 500));
}, 120_000);
afterAll(async () => stack?.stop());

describe('the client secret never reaches the BFF in plaintext', () => {
  it('the scan can see: the (non-secret) client ID is found in the BFF database', async () => {
    await check('secret', 'scanner control', () => {
      const db = filesUnder(path.join(stack.dataDir, 'bff')).map((f) => fs.readFileSync(f).toString('latin1')).join('');
      expect(db).toContain(clientId);
    });
  });

  it('is in nothing the BFF received (HTTP bodies, headers, runner-link frames)', async () => {
    await check('secret', 'received bytes', () => {
      const received = stack.proxy!.receivedText();
      expect(received).toContain('runner-link');
      expect(received).toContain('"type":"hello"');
      expect(received).not.toContain(canary);
    });
  });

  it('is in no response the BFF sent', async () => {
    await check('secret', 'responses', () => expect(stack.proxy!.sentText()).not.toContain(canary));
  });

  it('is in no BFF log line', async () => {
    await check('secret', 'log', () => {
      const log = fs.readFileSync(path.join(stack.dataDir, 'logs', 'bff.log'), 'utf8');
      expect(log.length).toBeGreaterThan(0);
      expect(log).not.toContain(canary);
    });
  });

  it('is in no file under the BFF data folder (SQLite, WAL and SHM included)', async () => {
    await check('secret', 'data folder', () => {
      const files = filesUnder(path.join(stack.dataDir, 'bff'));
      expect(files.some((f) => f.endsWith('-wal'))).toBe(true);
      for (const f of files) expect(fs.readFileSync(f).toString('latin1'), f).not.toContain(canary);
    });
  });

  it('is not in the OpenAPI document', async () => {
    await check('secret', 'openapi', async () => {
      const doc = await admin.fetch(`${stack.dashboard}/api/openapi.json`);
      expect(doc.status).toBe(200);
      expect(doc.text).not.toContain(canary);
    });
  });

  it('is not at rest in plaintext on the runner either', async () => {
    await check('secret', 'runner data folder', () => {
      for (const f of filesUnder(path.join(stack.dataDir, 'runner'))) expect(fs.readFileSync(f).toString('latin1'), f).not.toContain(canary);
      expect(fs.readFileSync(path.join(stack.dataDir, 'logs', 'runner.log'), 'utf8')).not.toContain(canary);
    });
  });
});
