import type { CookieOptions, Request, Response } from 'express';

/** Under https the cookies get the __Host- prefix: Secure, Path=/, no Domain, so no subdomain can set them. */
export function createCookieNames(secure: boolean) {
  const prefix = secure ? '__Host-' : '';
  return { session: `${prefix}rc_session`, csrf: `${prefix}rc_csrf` };
}
export type CookieNames = ReturnType<typeof createCookieNames>;

export function baseCookieOptions(secure: boolean): CookieOptions {
  return { path: '/', sameSite: 'lax', secure };
}

export function readCookie(req: Request, name: string): string | undefined {
  const value = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 && value.length < 200 ? value : undefined;
}

export function setSessionCookie(res: Response, names: CookieNames, secure: boolean, token: string, maxAgeMs: number): void {
  res.cookie(names.session, token, { ...baseCookieOptions(secure), httpOnly: true, maxAge: maxAgeMs });
}
