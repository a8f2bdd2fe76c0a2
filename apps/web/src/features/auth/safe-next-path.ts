/** The home route, which sends each role to its own start page (app/router.tsx). */
export const DEFAULT_PATH = '/';

/**
 * Where to go after signing in. Only a path on this site is accepted, so a crafted
 * `?next=https://evil.example` (or `//evil.example`, `/\evil.example`) cannot send someone away.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\'))
    return DEFAULT_PATH;
  if ([...next].some((char) => char.charCodeAt(0) < 0x20)) return DEFAULT_PATH;
  if (next === '/sign-in' || next.startsWith('/sign-in?')) return DEFAULT_PATH;
  return next;
}

/** `/sign-in?next=…` for the page someone was on when their session ended. */
export function signInPathFor(location: {
  pathname: string;
  search: string;
  hash: string;
}): string {
  const here = `${location.pathname}${location.search}${location.hash}`;
  if (here === DEFAULT_PATH) return '/sign-in';
  return `/sign-in?next=${encodeURIComponent(here)}`;
}
