import { formatDate } from './format-time.ts';

/** A token this close to its expiry is flagged, so its owner makes a new one in time. */
export const EXPIRY_WARNING_DAYS = 14;
const DAY = 86_400_000;

export type ApiTokenExpiry = { label: string; soon: boolean; expired: boolean };

/** "Expires 1 Mar 2027", flagged within 14 days; "Expired on …" once past. */
export function describeApiTokenExpiry(iso: string, now: number, locale?: string): ApiTokenExpiry {
  const at = Date.parse(iso);
  const date = formatDate(iso, locale, 'UTC');
  if (at <= now) return { label: `Expired on ${date}`, soon: false, expired: true };
  const days = Math.ceil((at - now) / DAY);
  const soon = at - now <= EXPIRY_WARNING_DAYS * DAY;
  return { label: soon ? `Expires ${date} (in ${days === 1 ? '1 day' : `${days} days`})` : `Expires ${date}`, soon, expired: false };
}
