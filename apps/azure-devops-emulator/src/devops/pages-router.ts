// The Azure DevOps emulator's pages: a home page, and User settings › Personal access tokens
// (the page the dashboard's "Create a personal access token" link opens under `npm start`), where
// a signed-in user makes a PAT for an organization with Code (Read) or Code (Read & write).
import { constantTimeEquals, html, MemorySessions, renderPageFrame, renderSignInPage, sendPage, type PageBrand } from '@runner-console/emulator-kit';
import express, { Router, type Request, type Response } from 'express';
import type { EmulatorContext } from '../context.ts';

const TOKENS_PATH = '/_usersSettings/tokens';

export function createDevOpsPagesRouter(context: EmulatorContext, brand: PageBrand): Router {
  const router = Router();
  const sessions = new MemorySessions('azdo_emulator_session', context.clock, context.devopsOrigin.startsWith('https:'));
  const form = express.urlencoded({ extended: false, limit: '8kb' });

  router.get('/', (_req, res) => {
    const main = html`<section class="card" aria-labelledby="home-heading">
      <h1 id="home-heading">Azure DevOps emulator</h1>
      <p>A local stand-in for dev.azure.com: the REST API at api-version 7.1, the profile API and git over HTTP, with Microsoft Entra ID beside it at <code>${context.entraOrigin}</code> (tenant <code>acme</code>).</p>
      <p class="hint">Users <code>alice</code> and <code>bob</code> (password: the username). Organization <code>acme</code>, project and repository <code>widgets</code>: <code>${context.devopsOrigin}/acme/widgets/_git/widgets</code>, pull request 1 from <code>feature/login</code>.</p>
      <p><a href="${TOKENS_PATH}">Personal access tokens</a></p>
    </section>`;
    sendPage(res, 200, renderPageFrame({ brand, title: 'Azure DevOps emulator', main }));
  });

  const page = (req: Request, res: Response, made?: { token: string; organization: string; scope: string }) => {
    const session = sessions.ensure(req, res);
    const user = session.userId === null ? undefined : context.state.findUserBySession(session.userId);
    if (!user) return sendPage(res, 200, renderSignInPage({ brand, action: `${TOKENS_PATH}/sign-in`, csrfToken: session.csrfToken, returnTo: TOKENS_PATH, hint: 'Seeded accounts: alice / alice, bob / bob.' }));
    const main = html`<section class="card" aria-labelledby="pat-heading">
      <h1 id="pat-heading">Personal access tokens</h1>
      ${made
        ? html`<p role="status">Your new token for <code>${made.organization}</code> (${made.scope}). Copy it now: it is not shown again.</p>
            <p><code>${made.token}</code></p>`
        : ''}
      <form method="post" action="${TOKENS_PATH}">
        <input type="hidden" name="csrf_token" value="${session.csrfToken}" />
        <div class="field"><label for="organization">Organization</label><input id="organization" name="organization" value="acme" required /></div>
        <div class="field"><label for="expires">Expiration (date)</label><input id="expires" name="expires" type="date" required /></div>
        <fieldset class="field">
          <legend>Code</legend>
          <label><input type="radio" name="scope" value="vso.code" /> Read</label>
          <label><input type="radio" name="scope" value="vso.code_write" checked /> Read &amp; write</label>
        </fieldset>
        <div class="actions"><button type="submit" class="primary">Create</button></div>
      </form>
    </section>`;
    sendPage(res, 200, renderPageFrame({ brand, title: 'Personal access tokens', main, signedIn: { displayName: user.displayName, username: user.email, csrfToken: session.csrfToken, signOutPath: `${TOKENS_PATH}/sign-out` } }));
  };

  router.get(TOKENS_PATH, (req, res) => page(req, res));
  router.post(`${TOKENS_PATH}/sign-in`, form, (req, res) => {
    const session = sessions.ensure(req, res);
    const user = context.state.findUserByLogin(String(req.body?.login ?? ''));
    if (!sessions.verifyCsrf(session, req.body?.csrf_token) || !user || !constantTimeEquals(user.password, String(req.body?.password ?? ''))) return res.redirect(303, TOKENS_PATH);
    sessions.signIn(req, res, user.sessionId);
    res.redirect(303, TOKENS_PATH);
  });
  router.post(`${TOKENS_PATH}/sign-out`, form, (req, res) => {
    sessions.signOut(req, res);
    res.redirect(303, TOKENS_PATH);
  });
  router.post(TOKENS_PATH, form, (req, res) => {
    const session = sessions.read(req);
    const user = session?.userId == null ? undefined : context.state.findUserBySession(session.userId);
    if (!session || !user || !sessions.verifyCsrf(session, req.body?.csrf_token)) return res.redirect(303, TOKENS_PATH);
    const organization = String(req.body?.organization ?? '').toLowerCase();
    const scope = req.body?.scope === 'vso.code' ? 'vso.code' : 'vso.code_write';
    const expires = Date.parse(`${String(req.body?.expires ?? '')}T23:59:59Z`);
    if (!context.state.organizations.get(organization)?.members.has(user.id) || Number.isNaN(expires)) return page(req, res);
    const token = context.state.createPat({ userId: user.id, organization, scopes: [scope], expiresAt: expires });
    page(req, res, { token, organization, scope });
  });
  return router;
}
