import { scmProviders } from './scm-provider-catalogue.ts';

/** Longest input we parse; a context URL or host is far shorter. */
export const MAX_URL_INPUT_LENGTH = 2048;

/** What the parsers below need from anything a user pastes as a link, clone URL or host. */
export type UrlLike = {
  protocol: 'http' | 'https' | 'ssh';
  /** Lower case, punycode for IDNs, no trailing dot, `www.` dropped for a provider's default host. */
  hostname: string;
  /** hostname plus a non-default port, for http(s) only (a port of ssh is not the web host's). */
  host: string;
  /** Percent-encoding kept, so `%2F` inside a segment is still told apart from `/`. */
  pathname: string;
};

// git@bitbucket.org:acme/widgets.git — scp-like syntax that git accepts for ssh. The user part
// is required here, so that `host:8443` stays a host with a port.
const SCP_LIKE = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!\/\/)(.*)$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
// `mailto:…`, `javascript:…`: a scheme without `//`. Unlike `host:8443`, no port digits follow it.
const OPAQUE_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:(?!\d*(?:[/?#]|$))/;

/**
 * Reads a pasted link, clone URL or bare host. Inputs without a scheme are read as https
 * (`bitbucket.org/acme/widgets`). Answers null for anything that is not http(s) or ssh.
 */
export function readUrlLike(input: string): UrlLike | null {
  const text = input.trim();
  if (text === '' || text.length > MAX_URL_INPUT_LENGTH || /\s/.test(text)) return null;

  const scp = SCP_LIKE.exec(text);
  if (scp) return fromUrl(`ssh://git@${scp[1]}/${scp[2]}`);
  if (HAS_SCHEME.test(text)) return fromUrl(text);
  if (OPAQUE_SCHEME.test(text)) return null;
  return fromUrl(`https://${text}`);
}

function fromUrl(text: string): UrlLike | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const protocol =
    url.protocol === 'http:'
      ? 'http'
      : url.protocol === 'https:'
        ? 'https'
        : url.protocol === 'ssh:'
          ? 'ssh'
          : null;
  if (protocol === null || url.hostname === '') return null;

  const hostname = withoutWww(url.hostname.replace(/\.$/, ''));
  const host = protocol !== 'ssh' && url.port !== '' ? `${hostname}:${url.port}` : hostname;
  return { protocol, hostname, host, pathname: url.pathname };
}

// `www.bitbucket.org` is bitbucket.org; we only fold `www.` for the hosts we know.
function withoutWww(hostname: string): string {
  const bare = hostname.startsWith('www.') ? hostname.slice(4) : hostname;
  return scmProviders.some((provider) => provider.defaultHost === bare) ? bare : hostname;
}
