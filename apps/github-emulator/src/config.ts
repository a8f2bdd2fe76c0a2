import path from 'node:path';
import { z } from 'zod';

/** The emulator's configuration: the one place that reads its environment. */
export interface EmulatorConfig {
  port: number;
  host: string;
  /** Absolute DATA_DIR; the emulator keeps its files in `${dataDir}/github-emulator/`. */
  dataDir: string;
  /** Origin used in API URLs, clone URLs and redirects, without a trailing slash. */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

// An empty variable (`GITHUB_PORT=`) means "not set", as in most shells' intent.
const optionalText = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().trim().min(1).optional(),
);

const envSchema = z.object({
  GITHUB_PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(1, 'must be between 1 and 65535')
          .max(65535, 'must be between 1 and 65535'),
      )
      .default(8083),
  ),
  GITHUB_HOST: optionalText.pipe(z.string().default('127.0.0.1')),
  DATA_DIR: optionalText.pipe(z.string().default('.data')),
  GITHUB_PUBLIC_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://localhost:8083' })
      .refine(
        (value) => ['', '/'].includes(new URL(value).pathname),
        'must be an origin without a path',
      )
      .refine(
        (value) => new URL(value).search === '' && new URL(value).hash === '',
        'must not have a query or fragment',
      )
      .optional(),
  ),
  LOG_LEVEL: optionalText.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
});

/** Parses the environment, or throws a ConfigError that names every bad variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): EmulatorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || 'env'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid GitHub emulator configuration:\n${lines.join('\n')}`);
  }
  const values = parsed.data;
  return {
    port: values.GITHUB_PORT,
    host: values.GITHUB_HOST,
    dataDir: path.resolve(cwd, values.DATA_DIR),
    publicUrl: new URL(values.GITHUB_PUBLIC_URL ?? `http://localhost:${values.GITHUB_PORT}`)
      .origin,
    logLevel: values.LOG_LEVEL,
  };
}
