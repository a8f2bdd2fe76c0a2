import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir, startEmulator } from './emulator-harness.ts';
import { bearer, createConsumer, obtainTokens, requestToken, type Tokens } from './oauth-flow.ts';

const dataDirs: string[] = [];

afterEach(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function countRows(dataDir: string, table: string): number {
  const db = new Database(path.join(dataDir, 'bitbucket-emulator', 'emulator.sqlite'), {
    readonly: true,
  });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function branchHashes(baseUrl: string, token: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/2.0/repositories/acme/widgets/refs/branches`, {
    headers: bearer(token),
  });
  const body = (await response.json()) as { values: Array<{ target: { hash: string } }> };
  return body.values.map((branch) => branch.target.hash);
}

describe('data folder', () => {
  it('keeps consumers and tokens across a restart and seeds nothing twice', async () => {
    const dataDir = makeTempDir('bb-emulator-restart-');
    dataDirs.push(dataDir);
    const first = await startEmulator(dataDir);
    const consumer = await createConsumer(first.baseUrl);
    const tokens = await obtainTokens(first.baseUrl, consumer);
    const hashesBefore = await branchHashes(first.baseUrl, tokens.access_token);
    await first.close({ keepData: true });

    const second = await startEmulator(dataDir);
    try {
      expect(await branchHashes(second.baseUrl, tokens.access_token)).toEqual(hashesBefore);
      const refreshed = await requestToken(second.baseUrl, consumer, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      expect(refreshed.status).toBe(200);
    } finally {
      await second.close({ keepData: true });
    }
    expect(countRows(dataDir, 'users')).toBe(2);
    expect(countRows(dataDir, 'workspaces')).toBe(1);
    expect(countRows(dataDir, 'repositories')).toBe(1);
    expect(countRows(dataDir, 'pull_requests')).toBe(1);
    expect(countRows(dataDir, 'consumers')).toBe(1);
  });

  it('seeds the same commits on every machine (fixed dates)', async () => {
    const one = await startEmulator();
    const two = await startEmulator();
    try {
      const [a, b] = await Promise.all(
        [one, two].map(async (emulator) => {
          const consumer = await createConsumer(emulator.baseUrl, { private: true });
          const tokens = (await (
            await requestToken(emulator.baseUrl, consumer, { grant_type: 'client_credentials' })
          ).json()) as Tokens;
          return branchHashes(emulator.baseUrl, tokens.access_token);
        }),
      );
      expect(a).toEqual(b);
      expect(a).toHaveLength(2);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
