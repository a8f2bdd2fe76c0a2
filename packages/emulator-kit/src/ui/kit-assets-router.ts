import { Router } from 'express';
import { KIT_STYLESHEET, KIT_STYLESHEET_PATH } from './page-frame.ts';

/**
 * Serves the kit pages' stylesheet, `headerColor` filled in. Its path is under /_emulator/, so
 * mount this router before the test API, whose catch-all answers 404 there.
 */
export function createKitAssetsRouter(headerColor: string): Router {
  const router = Router();
  const stylesheet = `${KIT_STYLESHEET}\n.site-header { background: ${headerColor}; }\n`;
  router.get(KIT_STYLESHEET_PATH, (_req, res) => {
    res
      .set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300' })
      .type('css')
      .send(stylesheet);
  });
  return router;
}
