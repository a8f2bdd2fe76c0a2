import type { Request } from 'express';

export interface BasicCredentials {
  username: string;
  password: string;
}

/**
 * Reads `Authorization: Basic base64(username:password)`. Undefined when the header is absent,
 * uses another scheme or is malformed.
 */
export function readBasicCredentials(req: Request): BasicCredentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0) return undefined;
  return { username: decoded.slice(0, separator), password: decoded.slice(separator + 1) };
}
