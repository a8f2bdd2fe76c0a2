import type { Response } from 'express';

/**
 * Pages carry no script and load only the emulator's stylesheet. There is no form-action
 * directive on purpose: the consent form's response redirects to the consumer's callback on
 * another origin, and browsers apply form-action to that redirect.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function setPageSecurityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Authorize URLs carry state, and redirects carry codes: never leak them as a referrer.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
}

export function sendPage(res: Response, status: number, page: string): void {
  setPageSecurityHeaders(res);
  res.status(status).type('html').send(page);
}
