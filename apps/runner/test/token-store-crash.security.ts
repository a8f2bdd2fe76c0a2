import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenCipher } from '../src/tokens/token-cipher.ts';
import { createTokenStore } from '../src/tokens/token-store.ts';
import { check } from '../../../security/support/record-security-row.ts';

/**
 * Part of `npm run test:security` (item 7, faults and durability): the runner's token journal under
 * kill -9. A writer process saves tokens and prints each one after save() returned; it is killed at
 * a random moment, mid-write as often as not. Every printed token must be there after a restart,
 * and the journal must open.
 */
async function killWriterAfter(dir: string, acks: number): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support/token-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let last = -1;
  let buffered = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) last = Number(line);
      if (last >= acks && child.exitCode === null) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => resolve());
  });
  await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(null)));
  return last;
}

describe('token journal under kill -9', () => {
  for (let round = 1; round <= 5; round++) {
    it(`round ${round}: every acknowledged token survives, and the journal opens`, () =>
      check('faults', `token journal kill -9 round ${round}`, async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-crash-'));
        const acked = await killWriterAfter(dir, 50 + Math.floor(Math.random() * 400));
        expect(acked).toBeGreaterThan(0);
        const store = createTokenStore(dir, createTokenCipher(dir));
        for (let i = 0; i <= acked; i++) expect(store.find(`user-${i % 50}`, `int-${i}`)?.accessToken).toBe(`access-${i}`);
        // It keeps working after the crash.
        const saved = store.save({ userId: 'after', host: 'bitbucket.org', integrationId: 'int-after', clientId: 'key', accountName: 'A', accountUsername: null, accountUuid: null, email: null, scopes: [], accessToken: 'a', refreshToken: null, expiresAt: null });
        expect(saved.accessToken).toBe('a');
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }));
  }
});
