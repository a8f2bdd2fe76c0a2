import { readUrlLike } from './read-url-like.ts';

/**
 * The host a pasted context URL or clone URL is on (lower case, `www.` folded for known
 * providers, non-default port kept for http(s)), or null when it is not a link. Used to pick
 * the integration before any provider-specific parsing.
 */
export function hostOfContextUrl(url: string): string | null {
  const parsed = typeof url === 'string' ? readUrlLike(url) : null;
  if (parsed === null || !parsed.hostname.includes('.')) return null;
  return parsed.host;
}
