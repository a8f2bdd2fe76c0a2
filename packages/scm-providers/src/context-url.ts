// The provider-neutral front of context-URL parsing: reads what was pasted, finds which served
// host it is on (an emulator's origin stands for the host it serves), and hands the provider's
// module the decoded path. Each refusal says what is wrong, for the person who pasted the link.
import type { ScmProviderId } from './provider-ids.ts';
import type { ContextUrlResult, ProviderLink, ScmProviderModule } from './provider-module.ts';
import { findProviderModule, scmProviderModules } from './provider-modules.ts';
import { MAX_URL_INPUT_LENGTH, readUrlLike, type UrlLike } from './read-url-like.ts';

/** A host the runner at hand serves, with the origins that stand for it (its emulator). */
export type ServedHost = { provider: ScmProviderId; host: string; origins?: readonly string[] };

export type ParseContextUrlOptions = {
  /**
   * The hosts links may be on: the runner's integrations, and the cloud hosts of the providers the
   * runner supports (so a link there gets "ask an admin" rather than "unknown host"). Default:
   * the cloud hosts of every supported provider. See servedHostsOf.
   */
  served?: readonly ServedHost[];
};

/**
 * The hosts a runner serves: every integration's host (without any, the cloud host of every supported provider),
 * and the origins its configuration gives for them (`providerSites`, such as the emulator at
 * http://localhost:8082 for bitbucket.org). A site for a host no integration or provider names is
 * left out: nothing could parse its links.
 */
export function servedHostsOf(input: {
  integrations?: readonly { provider: ScmProviderId; host: string }[];
  sites?: readonly { host: string; origin: string }[];
}): ServedHost[] {
  const served = new Map<string, ServedHost>();
  const add = (provider: ScmProviderId, host: string) => {
    if (!served.has(host)) served.set(host, { provider, host, origins: [] });
  };
  for (const integration of input.integrations ?? []) add(integration.provider, integration.host.toLowerCase());
  // A runner without integrations yet takes every supported cloud host's links, so the developer
  // hears "ask an admin to add one"; once it has integrations, their hosts are what it serves.
  if (served.size === 0) for (const module of scmProviderModules.values()) if (module.entry.supported && module.entry.defaultHost !== '') add(module.id, module.entry.defaultHost);
  for (const site of input.sites ?? []) {
    const entry = served.get(site.host.toLowerCase());
    if (entry) entry.origins = [...(entry.origins ?? []), site.origin];
  }
  return [...served.values()];
}

function defaultServed(): ServedHost[] {
  return servedHostsOf({});
}

type Origins = { withScheme: Map<string, ServedHost>; withoutScheme: Map<string, ServedHost> };

/** `http://localhost:8082` → matched as is, and as `localhost:8082` when the scheme was left out. */
function originsOf(served: readonly ServedHost[]): Origins {
  const withScheme = new Map<string, ServedHost>();
  const withoutScheme = new Map<string, ServedHost>();
  for (const entry of served) {
    for (const origin of entry.origins ?? []) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      withScheme.set(`${url.protocol}//${url.host}`, entry);
      withoutScheme.set(url.host, entry);
    }
  }
  return { withScheme, withoutScheme };
}

const HAS_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const SCP_LIKE = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * Reads a pasted context URL (a repository, branch, tag, commit or pull request page, or a clone
 * URL) on one of the served hosts, with that provider's parser.
 */
export function parseContextUrl(input: string, options: ParseContextUrlOptions = {}): ContextUrlResult {
  const served = options.served ?? defaultServed();
  const example = exampleOf(served);
  const read = readLink(input, served, example);
  if (!read.ok) return read;
  const module = findProviderModule(read.entry.provider);
  if (!module) return { ok: false, reason: 'unknown_host', message: `No integration serves ${read.entry.host}. ${example}`, host: read.entry.host };
  const url = read.url;
  const decoded = decodeSegments(url.pathname);
  const segments = decoded === null ? null : [...(read.leadingSegments ?? []), ...decoded];
  if (segments === null) {
    return { ok: false, reason: 'not_a_repository', message: `That ${module.entry.name} link has broken percent-encoding (a % not followed by two hex digits). ${exampleOf([read.entry])}`, host: read.entry.host };
  }
  const last = segments[segments.length - 1];
  const link: ProviderLink = {
    host: read.entry.host,
    segments,
    query: read.query,
    cloneUrl: url.protocol === 'ssh' || (last !== undefined && segments.length === 2 && last.endsWith('.git')),
  };
  return module.parseContextLink(link);
}

/** The sentence every refusal ends with: an example link of the first served provider. */
function exampleOf(served: readonly ServedHost[]): string {
  const first = served.map((entry) => findProviderModule(entry.provider)).find((module) => module !== undefined) ?? [...scmProviderModules.values()][0];
  return first ? `Paste a link like ${first.exampleUrl}.` : 'Paste a link to a repository.';
}

function readLink(
  input: string,
  served: readonly ServedHost[],
  example: string,
): { ok: true; url: UrlLike; entry: ServedHost; query: URLSearchParams; leadingSegments?: string[] } | Extract<ContextUrlResult, { ok: false }> {
  const text = typeof input === 'string' ? input.trim() : '';
  const refuse = (reason: 'not_a_url' | 'no_scheme' | 'too_long', message: string) => ({ ok: false as const, reason, message });
  if (text.length > MAX_URL_INPUT_LENGTH) {
    return refuse(
      'too_long',
      `That link is ${text.length.toLocaleString('en')} characters long; the limit is ${MAX_URL_INPUT_LENGTH.toLocaleString('en')}. Copy the address of the repository, branch, commit or pull request page instead.`,
    );
  }
  if (text === '') return refuse('not_a_url', `That is not a link. ${example}`);
  if (/\s/.test(text)) return refuse('not_a_url', `That is not a link: a link has no spaces. ${example}`);
  const scheme = SCP_LIKE.test(text) ? null : HAS_SCHEME.exec(text)?.[1]?.toLowerCase();
  const hasScheme = scheme !== undefined && scheme !== null && text.slice(scheme.length).startsWith('://');
  if (hasScheme && !['http', 'https', 'ssh'].includes(scheme)) {
    return refuse('not_a_url', `That link starts with ${scheme.slice(0, 20)}://, which the runner cannot read. ${example}`);
  }
  const url = readUrlLike(text);
  if (url === null) {
    if (hasScheme) return refuse('not_a_url', `That link has no host after ${scheme}://. ${example}`);
    if (scheme) return refuse('not_a_url', `That is not a link to a web page: it starts with ${scheme.slice(0, 20)}:. ${example}`);
    return refuse('not_a_url', `That is not a link: it has no scheme (https://) and no host. ${example}`);
  }
  const query = queryOf(text);
  const direct = served.find((entry) => entry.host === url.host || (url.protocol === 'ssh' && entry.host === url.hostname));
  if (direct) return { ok: true, url, entry: direct, query };
  const origins = originsOf(served);
  const onSite = hasScheme ? (url.protocol !== 'ssh' ? origins.withScheme.get(`${url.protocol}://${url.host}`) : undefined) : origins.withoutScheme.get(url.host);
  // A link on the runner's own site for a host (the emulator under `npm start`) means that host.
  if (onSite) return { ok: true, url: { ...url, hostname: onSite.host, host: onSite.host }, entry: onSite, query };
  // Another name of a served host that carries path segments in it (`{org}.visualstudio.com`).
  for (const entry of served) {
    const alias = url.protocol === 'ssh' ? null : findProviderModule(entry.provider)?.readHostAlias?.(url.hostname);
    if (alias && alias.host === entry.host) return { ok: true, url: { ...url, hostname: entry.host, host: entry.host }, entry, query, leadingSegments: alias.leadingSegments };
  }
  if (!hasScheme && !url.hostname.includes('.')) {
    // `localhost:8082/acme/widgets` is a host with a port; `acme/widgets` is a path, not host `acme`.
    if (url.host === url.hostname) return refuse('not_a_url', `That is not a link: it has no scheme (https://) and no host. ${example}`);
    return refuse('no_scheme', `That link has no scheme: start it with http:// or https://, as the browser's address bar shows it. ${example}`);
  }
  return refuseHost(url, served, example);
}

function refuseHost(url: UrlLike, served: readonly ServedHost[], example: string): Extract<ContextUrlResult, { ok: false }> {
  // A provider may recognise its own self-managed product on an unknown host (Bitbucket Data Center).
  for (const entry of served) {
    const message = findProviderModule(entry.provider)?.claimForeignLink?.(url.hostname, url.pathname);
    if (message) return { ok: false, reason: 'self_hosted_unsupported', message, host: url.hostname };
  }
  const hosts = served.flatMap((entry) => [entry.host, ...(entry.origins ?? []).map(originText)]).filter((value): value is string => value !== null);
  const list = hosts.length > 1 ? `${hosts.slice(0, -1).join(', ')} and ${hosts[hosts.length - 1]}` : (hosts[0] ?? 'no host');
  return { ok: false, reason: 'unknown_host', message: `No integration serves ${url.host}: links on ${list} work. ${example}`, host: url.host };
}

function originText(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

function queryOf(text: string): URLSearchParams {
  const at = text.indexOf('?');
  if (at < 0) return new URLSearchParams();
  const hash = text.indexOf('#', at);
  return new URLSearchParams(text.slice(at + 1, hash < 0 ? undefined : hash));
}

/** Splits the path on `/` and decodes each segment, so `feature%2Flogin` stays one segment. */
function decodeSegments(pathname: string): string[] | null {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    return null; // malformed percent-encoding
  }
}

export type { ScmProviderModule };
