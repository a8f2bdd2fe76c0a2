/**
 * Where the dashboard may send a browser back to after Connect (`returnTo`): a path on the
 * dashboard's own origin, and nothing that a URL parser could read as another host. Checked the
 * same way by the web app before it leaves and by the BFF, on the query and again when it builds
 * the redirect.
 *
 * A prefix test such as /^\/(?!\/)/ is not enough: `/\evil.example/x` and `/<TAB>/evil.example`
 * pass it, and the WHATWG URL parser turns `\` into `/` and drops tabs and newlines, so both resolve
 * to http://evil.example/. So: no backslash, no control or whitespace character, a single leading
 * slash, and the resolved URL must keep the dashboard's exact origin.
 */

import { forbiddenTextCharacters } from './text-input.ts';

// Beside what no text field takes (controls, which the URL parser strips, and bidi overrides):
// spaces and backslashes, which a URL parser reads as path separators or trims.
const forbiddenInPath = /[\s\\]/;

/** Stands in for the dashboard's origin when only the shape of the path is checked. */
const probeOrigin = 'http://dashboard.invalid';

/** The dashboard URL for `path` on `origin`, or null when `path` is not a path inside the dashboard. */
export function resolveDashboardPath(path: string, origin: string): URL | null {
  if (typeof path !== 'string' || path.length === 0 || path.length > 2000) return null;
  if (!path.startsWith('/') || path.startsWith('//') || forbiddenTextCharacters.test(path) || forbiddenInPath.test(path)) return null;
  let url: URL;
  try {
    url = new URL(path, origin);
  } catch {
    return null;
  }
  return url.origin === new URL(origin).origin ? url : null;
}

/** True when `path` is a path inside the dashboard, whatever the dashboard's origin. */
export function isDashboardPath(path: string): boolean {
  return resolveDashboardPath(path, probeOrigin) !== null;
}
