import { html, renderPageFrame, sendPage } from '@runner-console/emulator-kit';
import { Router } from 'express';
import type { GitHubContext } from '../context.ts';
import { GITHUB_BRAND } from '../oauth/authorize-router.ts';

/** The emulator's home page: what it is and where its parts live. */
export function createHomeRouter(context: GitHubContext): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const main = html`<section class="card" aria-labelledby="home-heading">
      <h1 id="home-heading">GitHub emulator</h1>
      <p>A local stand-in for github.com and GitHub Enterprise Server: OAuth Apps, GitHub App user tokens, personal access tokens, the REST API under <code>${context.origins.api}</code> and git over HTTP.</p>
      <p class="hint">Users <code>alice</code> and <code>bob</code> (password: the username). Repositories <code>acme/widgets</code> and the fork <code>bob/widgets</code>.</p>
    </section>`;
    sendPage(res, 200, renderPageFrame({ brand: GITHUB_BRAND, title: 'GitHub emulator', main }));
  });
  return router;
}
