import path from 'node:path';
import { z } from 'zod';

/** An emulator's configuration: the one place that reads its environment. */
export interface EmulatorConfig {
  port: number;
  host: string;
  /** Absolute DATA_DIR; the emulator keeps its files in a folder of its own under it. */
  dataDir: string;
  /** Origin used in API links, clone URLs and redirects, without a trailing slash. */
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

/**
 * The loader of one emulator's settings: `<PREFIX>_PORT` (default `defaultPort`), `<PREFIX>_HOST`,
 * `<PREFIX>_PUBLIC_URL`, `DATA_DIR` and `LOG_LEVEL`. It throws a ConfigError that names every bad
 * variable.
 */
export function createEmulatorConfigLoader(emulator: { variablePrefix: string; name: string; defaultPort: number }) {
  const portVar = `${emulator.variablePrefix}_PORT`;
  const hostVar = `${emulator.variablePrefix}_HOST`;
  const publicUrlVar = `${emulator.variablePrefix}_PUBLIC_URL`;
  const envSchema = z.object({
    [portVar]: optionalText.pipe(
      z
        .string()
        .regex(/^\d+$/, 'must be a whole number')
        .transform(Number)
        .pipe(z.number().int().min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'))
        .default(emulator.defaultPort),
    ),
    [hostVar]: optionalText.pipe(z.string().default('127.0.0.1')),
    DATA_DIR: optionalText.pipe(z.string().default('.data')),
    [publicUrlVar]: optionalText.pipe(
      z
        .url({ protocol: /^https?$/, error: `must be an http(s) URL such as http://localhost:${emulator.defaultPort}` })
        .refine((value) => ['', '/'].includes(new URL(value).pathname), 'must be an origin without a path')
        .refine((value) => new URL(value).search === '' && new URL(value).hash === '', 'must not have a query or fragment')
        .optional(),
    ),
    LOG_LEVEL: optionalText.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  });

  return function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): EmulatorConfig {
    const parsed = envSchema.safeParse(env);
    if (!parsed.success) {
      const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || 'env'}: ${issue.message}`);
      throw new ConfigError(`Invalid ${emulator.name} configuration:\n${lines.join('\n')}`);
    }
    const values = parsed.data as Record<string, unknown>;
    const port = values[portVar] as number;
    const publicUrl = (values[publicUrlVar] as string | undefined) ?? `http://localhost:${port}`;
    return {
      port,
      host: values[hostVar] as string,
      dataDir: path.resolve(cwd, values.DATA_DIR as string),
      publicUrl: new URL(publicUrl).origin,
      logLevel: values.LOG_LEVEL as EmulatorConfig['logLevel'],
    };
  };
}
