import { Router, type Response } from 'express';
import { escapeHtml } from '@runner-console/emulator-kit';

/**
 * Avatars for the `links.avatar` of users, workspaces and repositories. Bitbucket serves them
 * from a CDN; the emulator draws the first letter so that product pages show something offline.
 */
export function createAvatarRouter(): Router {
  const router = Router();
  router.get('/account/:name/avatar/', (req, res) => sendAvatar(res, req.params.name));
  router.get('/workspaces/:name/avatar/', (req, res) => sendAvatar(res, req.params.name));
  router.get('/:workspace/:name/avatar/:size/', (req, res) => sendAvatar(res, req.params.name));
  return router;
}

function sendAvatar(res: Response, name: string): void {
  const letter = escapeHtml((name.replace(/[{}]/g, '')[0] ?? '?').toUpperCase());
  const hue = [...name].reduce((sum, character) => sum + character.charCodeAt(0), 0) % 360;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="8" fill="hsl(${hue} 55% 45%)"/>` +
    `<text x="32" y="42" font-family="sans-serif" font-size="30" text-anchor="middle" fill="#fff">${letter}</text></svg>`;
  res
    .set({
      'Content-Security-Policy': "default-src 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'public, max-age=3600',
    })
    .type('image/svg+xml')
    .send(svg);
}
