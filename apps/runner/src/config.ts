import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { isRunnerPublicUrl } from '@runner-console/contracts';
import { parseProviderEndpoints, type EndpointOverride } from './providers/provider-endpoints.ts';
import { providerAdapters } from './providers/provider-registry.ts';

/** Settings of old that adapters keep working (BITBUCKET_URL, BITBUCKET_API_URL). */
const legacyEndpointSettings = [...providerAdapters.values()].flatMap((adapter) => {
  const legacy = adapter.legacyEndpointSettings;
  return legacy ? [legacy.site, ...(legacy.api ? [legacy.api] : [])] : [];
});

/**
 * Every setting is a flag and an environment variable (the flag wins). The runner README lists
 * them; `node runner.mjs --help` prints them.
 */
export const settings = [
  { flag: 'token', env: 'RUNNER_TOKEN', help: 'The runner token from Settings › Runners (required, or --token-file).' },
  { flag: 'token-file', env: 'RUNNER_TOKEN_FILE', help: 'A file holding the runner token (keeps it out of `ps` and shell history).' },
  { flag: 'bff-url', env: 'BFF_URL', help: 'Where Runner Console is (default http://localhost:8080).' },
  { flag: 'public-url', env: 'RUNNER_PUBLIC_URL', help: "Where developers' browsers reach this runner (its OAuth callback lives here). Fixed at set-up." },
  { flag: 'listen', env: 'RUNNER_LISTEN', help: 'Listen address, host:port (default 127.0.0.1 and the public URL’s port when it is local, else 8081).' },
  { flag: 'host', env: 'RUNNER_HOST', help: 'Listen host only (default 127.0.0.1).' },
  { flag: 'port', env: 'RUNNER_PORT', help: 'Listen port only (0 = any free port).' },
  { flag: 'data-dir', env: 'RUNNER_DATA_DIR', help: 'The data folder: key pair, encrypted tokens, workspaces (default $DATA_DIR/runner, i.e. .data/runner).' },
  { flag: 'region', env: 'RUNNER_REGION', help: 'A label shown in the dashboard.' },
  {
    flag: 'provider-endpoint',
    env: 'PROVIDER_ENDPOINTS',
    help: 'Where a provider host really is: host=URL[,api=URL], repeatable (env: space-separated), e.g. git.example.com=http://localhost:8083. Clone URLs come only from here. Default: the cloud hosts\' own addresses, and https://{host} for a self-managed server.',
  },
  { flag: 'extra-ca-certs', env: 'EXTRA_CA_CERTS', help: 'A PEM file of extra certificate authorities to trust for provider hosts (a company CA), besides the system ones.' },
  ...legacyEndpointSettings,
  { flag: 'log-level', env: 'LOG_LEVEL', help: 'fatal, error, warn, info (default), debug, trace or silent.' },
] as const;

const Env = z.object({
  RUNNER_TOKEN: z
    .string({ error: 'RUNNER_TOKEN is required: the one-time token from Settings › Runners › Set up a new runner (or --token / --token-file).' })
    .min(20, { error: 'RUNNER_TOKEN is too short: paste the whole token from Settings › Runners.' }),
  BFF_URL: z.url().default('http://localhost:8080'),
  RUNNER_LISTEN: z
    .string()
    .regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, { error: 'Use host:port, for example 0.0.0.0:8081.' })
    .optional(),
  RUNNER_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  RUNNER_HOST: z.string().optional(),
  /** The URL browsers reach this runner at (its OAuth callback lives here). */
  // Browsers are sent here for the OAuth start and callback: http(s) only (the BFF refuses others).
  RUNNER_PUBLIC_URL: z
    .string()
    .refine(isRunnerPublicUrl, { error: 'RUNNER_PUBLIC_URL must be an http:// or https:// URL without a query or credentials, such as https://runner.acme.internal.' })
    .optional(),
  DATA_DIR: z.string().default('.data'),
  RUNNER_DATA_DIR: z.string().optional(),
  RUNNER_REGION: z.string().max(40).optional(),
  PROVIDER_ENDPOINTS: z.string().max(10_000).optional(),
  EXTRA_CA_CERTS: z.string().optional(),
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
  /** Hosts pointed elsewhere than their defaults (providers/provider-endpoints.ts). */
  providerEndpoints: EndpointOverride[];
  /** PEM text of the extra certificate authorities (EXTRA_CA_CERTS), or null. */
  extraCaCerts: string | null;
  logLevel: string;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

export function helpText(): string {
  const lines = settings.map((s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(18)} ${s.help}`);
  return `Runner Console runner\n\nUsage: node runner.mjs [flags]\n\n  flag                 environment\n${lines.join('\n')}\n  --version            print the version\n  --help               print this\n\nnode runner.mjs seal-secret --runner <runnerId> --host <host> --public-key-file <file>\n  seals an OAuth client secret read from stdin to the runner's public key, for automation\n  (node runner.mjs seal-secret --help)\n`;
}

/** Flags from argv, as the environment variables they stand for. */
export function readFlags(argv: string[]): { env: Record<string, string>; help: boolean; version: boolean } {
  const options = Object.fromEntries(settings.map((s) => [s.flag, { type: 'string' as const, multiple: s.flag === 'provider-endpoint' }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' }, version: { type: 'boolean' } }, allowPositionals: false, strict: true });
  } catch (err) {
    throw new Error(`${(err as Error).message}\nRun with --help for the list of settings.`);
  }
  const env: Record<string, string> = {};
  for (const s of settings) {
    const value = (parsed.values as Record<string, unknown>)[s.flag];
    if (typeof value === 'string') env[s.env] = value;
    if (Array.isArray(value)) env[s.env] = value.join(' ');
  }
  return { env, help: parsed.values.help === true, version: parsed.values.version === true };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): RunnerConfig {
  const merged: Record<string, string | undefined> = { ...env, ...readFlags(argv).env };
  if (merged.RUNNER_TOKEN_FILE && !merged.RUNNER_TOKEN) {
    try {
      merged.RUNNER_TOKEN = fs.readFileSync(merged.RUNNER_TOKEN_FILE, 'utf8').trim();
    } catch (err) {
      throw new Error(`Invalid runner configuration:\n  RUNNER_TOKEN_FILE: cannot read ${merged.RUNNER_TOKEN_FILE} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
    }
  }
  const parsed = Env.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid runner configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const trim = (u: string) => u.replace(/\/+$/, '');
  const publicUrl = e.RUNNER_PUBLIC_URL ? trim(e.RUNNER_PUBLIC_URL) : undefined;
  // Listen address: RUNNER_LISTEN, else RUNNER_HOST/RUNNER_PORT, else the public URL's port when
  // that URL is on this machine (so the public URL alone is enough for a local runner), else 8081.
  let host = e.RUNNER_HOST ?? '127.0.0.1';
  let port = e.RUNNER_PORT;
  if (e.RUNNER_LISTEN) {
    const at = e.RUNNER_LISTEN.lastIndexOf(':');
    host = e.RUNNER_LISTEN.slice(0, at).replace(/^\[(.*)\]$/, '$1');
    port = Number(e.RUNNER_LISTEN.slice(at + 1));
    if (port > 65535) throw new Error('Invalid runner configuration:\n  RUNNER_LISTEN: the port must be 0-65535.');
  }
  if (port === undefined && publicUrl) {
    const url = new URL(publicUrl);
    if (loopbackHosts.has(url.hostname)) port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  }
  let providerEndpoints: EndpointOverride[];
  try {
    providerEndpoints = parseProviderEndpoints(e.PROVIDER_ENDPOINTS ?? '');
  } catch (err) {
    throw new Error(`Invalid runner configuration:\n  PROVIDER_ENDPOINTS: ${(err as Error).message}`);
  }
  providerEndpoints.push(...legacyEndpoints(merged, providerEndpoints));
  return {
    token: e.RUNNER_TOKEN,
    bffUrl: trim(e.BFF_URL),
    port: port ?? 8081,
    host,
    publicUrl,
    dataDir: path.resolve(e.RUNNER_DATA_DIR ?? path.join(e.DATA_DIR, 'runner')),
    region: e.RUNNER_REGION ?? null,
    providerEndpoints,
    extraCaCerts: e.EXTRA_CA_CERTS ? readCaBundle(e.EXTRA_CA_CERTS) : null,
    logLevel: e.LOG_LEVEL,
  };
}

/** BITBUCKET_URL / BITBUCKET_API_URL and their like, for hosts PROVIDER_ENDPOINTS does not name. */
function legacyEndpoints(env: Record<string, string | undefined>, given: EndpointOverride[]): EndpointOverride[] {
  const found: EndpointOverride[] = [];
  for (const adapter of providerAdapters.values()) {
    const legacy = adapter.legacyEndpointSettings;
    if (!legacy || given.some((o) => o.host === legacy.host)) continue;
    const site = env[legacy.site.env];
    const api = legacy.api ? env[legacy.api.env] : undefined;
    if (!site && !api) continue;
    const defaults = adapter.defaultEndpoints(legacy.host);
    for (const [name, value] of [[legacy.site.env, site], [legacy.api?.env, api]] as const) {
      if (value !== undefined && !/^https?:\/\/[^\s]+$/.test(value)) throw new Error(`Invalid runner configuration:\n  ${name}: use an http(s) URL.`);
    }
    const trim = (u: string) => u.replace(/\/+$/, '');
    found.push({
      host: legacy.host,
      siteUrl: site ? trim(site) : (defaults?.siteUrl ?? ''),
      apiUrl: api ? legacy.apiUrlForOrigin(trim(api)) : (defaults?.apiUrl ?? null),
    });
  }
  return found;
}

/** The extra CA bundle: read once at start, refused at once when it holds no certificate. */
function readCaBundle(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`Invalid runner configuration:\n  EXTRA_CA_CERTS: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
  }
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) {
    throw new Error(`Invalid runner configuration:\n  EXTRA_CA_CERTS: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  }
  return text;
}
