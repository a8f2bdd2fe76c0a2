import { html, renderPageFrame, sendPage } from '@runner-console/emulator-kit';
import { Router } from 'express';
import type { GitLabContext } from './context.ts';
import { GITLAB_BRAND } from './oauth/authorize-router.ts';

/** The emulator's home page: what it is and where its parts live. */
export function createHomeRouter(context: GitLabContext): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const main = html`<section class="card" aria-labelledby="home-heading">
      <h1 id="home-heading">GitLab emulator</h1>
      <p>A local stand-in for gitlab.com and self-managed GitLab: OAuth applications (with PKCE), personal access tokens, the REST API under <code>${context.origins.api}</code> and git over HTTP.</p>
      <p class="hint">Users <code>alice</code> and <code>bob</code> (password: the username). Projects <code>acme/widgets</code>, <code>acme/platform/tools</code> and the fork <code>bob/widgets</code>.</p>
    </section>`;
    sendPage(res, 200, renderPageFrame({ brand: GITLAB_BRAND, title: 'GitLab emulator', main }));
  });
  return router;
}
