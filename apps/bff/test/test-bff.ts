import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';
import { startBff, type RunningBff } from '../src/start-bff.ts';
import { createPostgresDatabase, onPostgres } from '../../../test-support/postgres-database.ts';

export const localRunnerToken = 'rct_local-runner-token-for-tests-0123456789';

export interface TestBff extends RunningBff {
  url: string;
  dataDir: string;
  logLines: string[];
}

/**
 * The real BFF, started as server.ts starts it, on a random loopback port with a temporary data
 * folder; in the PostgreSQL project, on a fresh database of the run's cluster (DATABASE_URL), unless
 * `env` names one (several instances on one database).
 */
export async function startTestBff(env: Record<string, string> = {}): Promise<TestBff> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bff-'));
  const database = onPostgres && !env.DATABASE_URL ? await createPostgresDatabase() : undefined;
  const config = loadConfig({
    ...(database ? { DATABASE_URL: database.url } : {}),
    NODE_ENV: 'test',
    PORT: '0',
    DATA_DIR: dataDir,
    LOCAL_RUNNER_TOKEN: localRunnerToken,
    HEARTBEAT_INTERVAL_MS: '200',
    ...env,
  });
  // Log lines are kept in memory: tests scan them (for secrets, for example) instead of printing them.
  const logLines: string[] = [];
  const log = createLogger('info', 'bff', { write: (line: string) => void logLines.push(line) });
  let running: RunningBff;
  try {
    running = await startBff(config, log);
  } catch (err) {
    await database?.drop();
    throw err;
  }
  return {
    ...running,
    url: running.config.publicUrl,
    dataDir,
    logLines,
    async close() {
      await running.close();
      await database?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
