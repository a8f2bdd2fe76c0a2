import { useLocation } from 'react-router';

/** A link's token is its #fragment: it never reaches a server log or a Referer header. */
export function useLinkToken(): string {
  const { hash } = useLocation();
  try {
    return decodeURIComponent(hash.replace(/^#/, ''));
  } catch {
    return '';
  }
}
