import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const here = path.dirname(fileURLToPath(import.meta.url));

const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('.data'),
  WEB_DIST: z.string().default(path.resolve(here, '../../web/dist')),
  /** The installable runner file served at /downloads/runner.mjs (built by scripts/build-services.mjs). */
  RUNNER_BUNDLE: z.string().default(path.resolve(here, '../../runner/dist/runner.mjs')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Dev only: the token the local runner started by `npm start` uses; seeds "Local runner". */
  LOCAL_RUNNER_TOKEN: z.string().min(20).optional(),
  /** How often runners heartbeat, and how long silence makes them inactive. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(2000),
  /**
   * Which proxies in front of the BFF to believe about the client's address (X-Forwarded-For):
   * unset or `false` for none (the BFF faces browsers itself), a number of hops (`1` behind one
   * load balancer), or a comma-separated list of proxy addresses and subnets.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(false|\d{1,2}|((loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)\s*(,\s*|$))+)$/, {
      error: 'Use false, a number of proxy hops such as 1, or proxy addresses such as 10.0.0.5,10.0.1.0/24.',
    })
    .optional(),
  /** postgres://… to use PostgreSQL (shared by several instances); unset for the embedded SQLite file. */
  DATABASE_URL: z.string().optional(),
  /** Prometheus metrics (GET /metrics) on their own listener; unset: no metrics listener. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  /**
   * On SIGTERM: how long /readyz answers 503 while requests are still served, so the load balancer
   * sees it and stops sending (at least its check interval times its fall count), before the
   * listener closes and streams and runner links are told to reconnect elsewhere.
   */
  DRAIN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(5_000),
  /** Then how long requests in flight may take to finish before their connections are cut. */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
  /**
   * 32 random bytes (base64) that encrypt the single sign-on client secret at rest. Unset: a key
   * file made on first start in the data folder (bff/sso-secret.key). Every instance needs the same.
   */
  SSO_SECRET_KEY: z.string().trim().optional(),
});

export interface BffConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** Where browsers reach the BFF. With PORT=0 (tests) it is completed once the port is known. */
  publicUrl: string;
  publicUrlExplicit: boolean;
  dataDir: string;
  dbFile: string;
  /** PostgreSQL instead of dbFile when set. */
  databaseUrl: string | undefined;
  webDist: string;
  runnerBundle: string;
  logLevel: string;
  localRunnerToken: string | undefined;
  heartbeatIntervalMs: number;
  /** Express's `trust proxy`: false, a hop count, or proxy addresses. */
  trustProxy: false | number | string;
  secureCookies: boolean;
  seedDevData: boolean;
  /** undefined: no metrics listener. */
  metricsPort: number | undefined;
  metricsHost: string;
  drainDelayMs: number;
  drainTimeoutMs: number;
  /** SSO_SECRET_KEY as given (checked when the app starts); undefined: the key file in dataDir. */
  ssoSecretKey: string | undefined;
}

/** Parse the environment once at start-up; fail fast with a message that names the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): BffConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid BFF configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const dataDir = path.resolve(e.DATA_DIR, 'bff');
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    publicUrlExplicit: Boolean(e.PUBLIC_URL),
    dataDir,
    dbFile: path.join(dataDir, 'runner-console.sqlite'),
    databaseUrl: e.DATABASE_URL?.trim() || undefined,
    webDist: e.WEB_DIST,
    runnerBundle: path.resolve(e.RUNNER_BUNDLE),
    logLevel: e.LOG_LEVEL,
    localRunnerToken: e.LOCAL_RUNNER_TOKEN,
    heartbeatIntervalMs: e.HEARTBEAT_INTERVAL_MS,
    trustProxy: !e.TRUST_PROXY || e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    secureCookies: publicUrl.startsWith('https://'),
    seedDevData: e.NODE_ENV !== 'production',
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST,
    drainDelayMs: e.DRAIN_DELAY_MS,
    drainTimeoutMs: e.DRAIN_TIMEOUT_MS,
    ssoSecretKey: e.SSO_SECRET_KEY || undefined,
  };
}
