import { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { consumersPath } from './consumer-pages.ts';
import { html } from '@runner-console/emulator-kit';
import { renderPage, STYLESHEET_PATH } from './page-layout.ts';
import { sendPage } from '@runner-console/emulator-kit';
import { EMULATOR_FONTS, STYLESHEET } from './stylesheet.ts';

/**
 * The pages' stylesheet. Its path is under /_emulator/, so this router is mounted before the test
 * API, whose catch-all answers 404 for every other /_emulator/ path.
 */
export function createStylesheetRouter(): Router {
  const router = Router();
  router.get(STYLESHEET_PATH, (_req, res) => {
    res
      .set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300' })
      .type('css')
      .send(STYLESHEET);
  });
  for (const font of EMULATOR_FONTS) {
    router.get(font.path, (_req, res) => {
      res.set({ 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=86400' }).type('font/woff2').sendFile(font.file);
    });
  }
  return router;
}

/** The emulator's home page. */
export function createHomeRouter(context: EmulatorContext): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const current = context.sessions.read(req);
    const user = current?.user;
    const workspaces = user ? context.repositories.listWorkspacesOf(user.id) : [];
    const main = html`<section class="card" aria-labelledby="home-heading">
      <h1 id="home-heading">Bitbucket emulator</h1>
      <p>
        A local stand-in for bitbucket.org and api.bitbucket.org: OAuth 2.0, the REST API 2.0 paths
        the product uses, and git over HTTPS.
      </p>
      ${
        user
          ? html`<p><a href="/account/settings/api-tokens/">API tokens</a> (personal settings)</p>
              <h2>Your workspaces</h2>
              ${
                workspaces.length === 0
                  ? html`<p>You are not a member of any workspace.</p>`
                  : html`<ul>
                      ${workspaces.map(
                        (workspace) =>
                          html`<li>
                            ${workspace.name}:
                            <a href="${consumersPath(workspace)}">OAuth consumers</a>
                          </li>`,
                      )}
                    </ul>`
              }`
          : html`<p><a class="button primary" href="/account/signin/">Log in</a></p>`
      }
    </section>`;
    sendPage(
      res,
      200,
      renderPage({ title: 'Home', main, user, csrfToken: current?.session.csrfToken }),
    );
  });

  return router;
}
