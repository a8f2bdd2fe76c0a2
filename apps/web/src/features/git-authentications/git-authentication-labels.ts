import { getScmProvider, scmProviders, type ScmProviderId } from '@runner-console/scm-providers';

/** "Bitbucket" for bitbucket.org; the host itself for a host no provider claims. */
export function providerNameOfHost(host: string): string {
  return scmProviders.find((provider) => provider.defaultHost === host)?.name ?? host;
}

/** The connection's provider by name: from its integration's provider when the BFF says (a self-managed host), else from the host. */
export function providerNameOf(authentication: { host: string; provider?: ScmProviderId | null }): string {
  return authentication.provider ? getScmProvider(authentication.provider).name : providerNameOfHost(authentication.host);
}

/**
 * What happens when the connection's token expires, or null when nothing needs saying. An OAuth
 * access token is refreshed by the runner on use; an API token does not renew.
 */
export function describeRenewal(authentication: {
  method: 'oauth' | 'api_token';
  expiresAt: string | null;
  needsReauthorization: boolean;
}): string | null {
  if (!authentication.expiresAt || authentication.needsReauthorization) return null;
  if (authentication.method === 'api_token') {
    return 'Does not renew: it stops working on this date, and you connect again with a new API token';
  }
  return 'Renews itself: the runner refreshes it on use';
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "in 1 h 59 min", "in 3 days"; for a past time "expired 5 min ago". The runner refreshes an
 * expired access token on its next use, so an expired one is not a problem by itself.
 */
export function formatExpiry(iso: string | null, now: number): string {
  if (iso === null) return 'Does not expire';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'Unknown';
  const delta = at - now;
  const span = describeSpan(Math.abs(delta));
  return delta >= 0 ? `in ${span}` : `expired ${span} ago`;
}

function describeSpan(ms: number): string {
  if (ms < MINUTE) return 'less than a minute';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) {
    const hours = Math.floor(ms / HOUR);
    const minutes = Math.floor((ms % HOUR) / MINUTE);
    return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
  }
  const days = Math.floor(ms / DAY);
  return days === 1 ? '1 day' : `${days} days`;
}
