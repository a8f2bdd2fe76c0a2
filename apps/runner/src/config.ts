import path from 'node:path';
import { z } from 'zod';

const Env = z.object({
  RUNNER_TOKEN: z.string().min(20, { error: 'RUNNER_TOKEN is required: the one-time token from Settings › Runners › Set up a new runner.' }),
  BFF_URL: z.url().default('http://localhost:8080'),
  RUNNER_PORT: z.coerce.number().int().min(0).max(65535).default(8081),
  RUNNER_HOST: z.string().default('127.0.0.1'),
  /** The URL browsers reach this runner at (its OAuth callback lives here). */
  RUNNER_PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  RUNNER_DATA_DIR: z.string().optional(),
  RUNNER_REGION: z.string().max(40).optional(),
  BITBUCKET_URL: z.url().default('https://bitbucket.org'),
  BITBUCKET_API_URL: z.url().default('https://api.bitbucket.org'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface RunnerConfig {
  token: string;
  bffUrl: string;
  port: number;
  host: string;
  publicUrl: string | undefined;
  dataDir: string;
  region: string | null;
  bitbucketUrl: string;
  bitbucketApiUrl: string;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid runner configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const trim = (u: string) => u.replace(/\/$/, '');
  return {
    token: e.RUNNER_TOKEN,
    bffUrl: trim(e.BFF_URL),
    port: e.RUNNER_PORT,
    host: e.RUNNER_HOST,
    publicUrl: e.RUNNER_PUBLIC_URL ? trim(e.RUNNER_PUBLIC_URL) : undefined,
    dataDir: path.resolve(e.RUNNER_DATA_DIR ?? path.join(e.DATA_DIR, 'runner')),
    region: e.RUNNER_REGION ?? null,
    bitbucketUrl: trim(e.BITBUCKET_URL),
    bitbucketApiUrl: trim(e.BITBUCKET_API_URL),
    logLevel: e.LOG_LEVEL,
  };
}
