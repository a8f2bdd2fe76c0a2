import { generateAlphanumeric, hashOpaqueToken, html, renderMessagePage, renderPageFrame, sendPage } from '@runner-console/emulator-kit';
import express, { Router, type Request, type Response } from 'express';
import { issueAccessToken } from './access-tokens.ts';
import type { DataCenterContext } from './context.ts';
import { cloneHref, repositoryWebPath } from './json.ts';
import { DC_BRAND, SIGN_IN_PATH } from './oauth.ts';
import type { User } from './state.ts';

export const ACCESS_TOKENS_PATH = '/plugins/servlet/access-tokens/manage';
export const APPLICATION_LINKS_PATH = '/plugins/servlet/applinks/listApplicationLinks';

/**
 * The web pages a person uses: the home page (repositories and their clone URLs), Manage account ›
 * HTTP access tokens › Create token, and Administration › Application links › Create link ›
 * External application › Incoming. Forms only, no script.
 */
export function createPagesRouter(context: DataCenterContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 });

  const signedIn = (req: Request, res: Response): { user: User; csrfToken: string } | undefined => {
    const session = context.sessions.ensure(req, res);
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) {
      res.redirect(302, `${SIGN_IN_PATH}?next=${encodeURIComponent(req.originalUrl)}`);
      return undefined;
    }
    return { user, csrfToken: session.csrfToken };
  };
  const checkForm = (req: Request, res: Response): User | undefined => {
    const session = context.sessions.read(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = session?.userId == null ? undefined : context.state.users.get(session.userId);
    if (!session || !user || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      sendPage(res, 403, renderMessagePage(DC_BRAND, 'This form has expired', 'Go back and try again.'));
      return undefined;
    }
    return user;
  };

  router.get('/', (_req, res) => {
    const repos = [...context.state.repositories.values()];
    const main = html`<section class="card" aria-labelledby="home-heading">
      <h1 id="home-heading">Bitbucket Data Center emulator</h1>
      <p>Users alice and bob (each password is the user name). Repositories:</p>
      <ul>
        ${repos.map((repo) => html`<li><a href="${repositoryWebPath(repo)}/browse">${repo.projectKey}/${repo.slug}</a>: <code>${cloneHref(context, repo)}</code></li>`)}
      </ul>
      <p><a href="${ACCESS_TOKENS_PATH}">HTTP access tokens</a> · <a href="${APPLICATION_LINKS_PATH}">Application links</a></p>
    </section>`;
    sendPage(res, 200, renderPageFrame({ brand: DC_BRAND, title: 'Bitbucket Data Center emulator', main }));
  });

  router.get(ACCESS_TOKENS_PATH, (req, res) => {
    const who = signedIn(req, res);
    if (!who) return;
    sendPage(res, 200, accessTokenPage(who.csrfToken));
  });
  router.post(ACCESS_TOKENS_PATH, form, (req, res) => {
    const user = checkForm(req, res);
    if (!user) return;
    const body = req.body as Record<string, unknown>;
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 100) : 'Runner Console';
    const level = body.repository === 'REPO_READ' ? 'REPO_READ' : 'REPO_WRITE';
    const days = typeof body.expiryDays === 'string' && /^\d{1,4}$/.test(body.expiryDays) && Number(body.expiryDays) > 0 ? Number(body.expiryDays) : null;
    const token = issueAccessToken(context, user, { name, permissions: ['PROJECT_READ', level], expiryDays: days });
    const main = html`<section class="card" aria-labelledby="token-heading">
      <h1 id="token-heading">Your new HTTP access token</h1>
      <p>Copy it now: it is shown only once.</p>
      <p><label for="token">Token</label> <input id="token" readonly value="${token.value}" size="50" /></p>
      <p>Expires: ${token.expiresAt ?? 'never'}</p>
    </section>`;
    sendPage(res, 201, renderPageFrame({ brand: DC_BRAND, title: 'HTTP access token created', main }));
  });

  router.get(APPLICATION_LINKS_PATH, (req, res) => {
    const who = signedIn(req, res);
    if (!who) return;
    sendPage(res, 200, applicationLinkPage(who.csrfToken));
  });
  router.post(APPLICATION_LINKS_PATH, form, (req, res) => {
    if (!checkForm(req, res)) return;
    const body = req.body as Record<string, unknown>;
    let redirectUrl: URL | undefined;
    try {
      redirectUrl = new URL(String(body.redirectUrl ?? ''));
    } catch {
      redirectUrl = undefined;
    }
    if (!redirectUrl || !/^https?:$/.test(redirectUrl.protocol)) return sendPage(res, 400, renderMessagePage(DC_BRAND, 'Invalid redirect URL', 'Enter the redirect URL as an http(s) URL.'));
    const clientId = generateAlphanumeric(32).toLowerCase();
    const clientSecret = generateAlphanumeric(64).toLowerCase();
    const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 100) : 'Runner Console';
    const scopes = body.permission === 'REPO_READ' ? ['REPO_READ'] : ['REPO_READ', 'REPO_WRITE'];
    context.state.links.set(clientId, { clientId, clientSecretHash: hashOpaqueToken(clientSecret), name, redirectUrl: redirectUrl.href, scopes });
    const main = html`<section class="card" aria-labelledby="link-heading">
      <h1 id="link-heading">Incoming link created</h1>
      <p><label for="client-id">Client ID</label> <input id="client-id" readonly value="${clientId}" size="40" /></p>
      <p><label for="client-secret">Client secret</label> <input id="client-secret" readonly value="${clientSecret}" size="70" /></p>
    </section>`;
    sendPage(res, 201, renderPageFrame({ brand: DC_BRAND, title: 'Application link created', main }));
  });
  return router;
}

function accessTokenPage(csrfToken: string): string {
  const main = html`<section class="card" aria-labelledby="tokens-heading">
    <h1 id="tokens-heading">Create HTTP access token</h1>
    <form method="post" action="${ACCESS_TOKENS_PATH}">
      <input type="hidden" name="csrf_token" value="${csrfToken}" />
      <div class="field"><label for="name">Token name</label><input id="name" name="name" value="Runner Console" required /></div>
      <div class="field"><label for="repository">Repository permissions</label>
        <select id="repository" name="repository"><option value="REPO_WRITE">Repository write</option><option value="REPO_READ">Repository read</option></select></div>
      <div class="field"><label for="expiryDays">Expiry (days)</label><input id="expiryDays" name="expiryDays" inputmode="numeric" value="90" /></div>
      <div class="actions"><button type="submit" class="primary">Create</button></div>
    </form>
  </section>`;
  return renderPageFrame({ brand: DC_BRAND, title: 'HTTP access tokens', main });
}

function applicationLinkPage(csrfToken: string): string {
  const main = html`<section class="card" aria-labelledby="links-heading">
    <h1 id="links-heading">Create link: External application, Incoming</h1>
    <form method="post" action="${APPLICATION_LINKS_PATH}">
      <input type="hidden" name="csrf_token" value="${csrfToken}" />
      <div class="field"><label for="name">Name</label><input id="name" name="name" value="Runner Console" required /></div>
      <div class="field"><label for="redirectUrl">Redirect URL</label><input id="redirectUrl" name="redirectUrl" type="url" required /></div>
      <div class="field"><label for="permission">Application permissions: Repositories</label>
        <select id="permission" name="permission"><option value="REPO_WRITE">Write</option><option value="REPO_READ">Read</option></select></div>
      <div class="actions"><button type="submit" class="primary">Save</button></div>
    </form>
  </section>`;
  return renderPageFrame({ brand: DC_BRAND, title: 'Application links', main });
}
