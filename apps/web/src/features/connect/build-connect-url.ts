import { isDashboardPath } from '@runner-console/contracts';

/**
 * Where the browser goes for Connect: the BFF's flow entry (`authorizeUrl` from
 * check-authentication) plus the CSRF token, the mode, and, for the same-tab mode, the dashboard
 * path to come back to.
 */
export function buildConnectUrl(
  authorizeUrl: string,
  options: { csrf: string; mode: 'popup' | 'tab'; returnTo?: string; base: string },
): string {
  const url = new URL(authorizeUrl, options.base);
  url.searchParams.set('csrf', options.csrf);
  url.searchParams.set('mode', options.mode);
  if (options.mode === 'tab') {
    const returnTo = options.returnTo ?? '/environments/new';
    // The BFF refuses anything but a path inside the dashboard; so do we, before leaving.
    if (!isDashboardPath(returnTo)) {
      throw new Error('returnTo must be a path inside the dashboard.');
    }
    url.searchParams.set('returnTo', returnTo);
  } else {
    url.searchParams.delete('returnTo');
  }
  return url.toString();
}

/** window.open features for a 600 × 720 popup centred over this window. */
export function centredPopupFeatures(
  screen: { screenX: number; screenY: number; outerWidth: number; outerHeight: number },
  size: { width: number; height: number } = { width: 600, height: 720 },
): string {
  const left = Math.max(0, Math.round(screen.screenX + (screen.outerWidth - size.width) / 2));
  const top = Math.max(0, Math.round(screen.screenY + (screen.outerHeight - size.height) / 2));
  return `popup,width=${size.width},height=${size.height},left=${left},top=${top}`;
}
