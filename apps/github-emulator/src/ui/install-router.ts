import { html, renderMessagePage, renderPageFrame, sendPage } from '@runner-console/emulator-kit';
import express, { Router, type Request } from 'express';
import type { GitHubContext } from '../context.ts';
import { GITHUB_BRAND } from '../oauth/authorize-router.ts';
import type { MemorySession } from '@runner-console/emulator-kit';
import type { OAuthClient, Repository, User } from '../state.ts';

const INSTALL_PATH = '/apps/:slug/installations/new';

/**
 * A GitHub App's install link (`/apps/{slug}/installations/new`): a signed-in user picks
 * repositories they administer ("Only select repositories") and installs the app on them. The test
 * API's `POST /_emulator/github-apps/{slug}/installations` does the same without a browser.
 */
export function createInstallRouter(context: GitHubContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 120 });

  router.get(INSTALL_PATH, (req, res) => {
    const client = findApp(context, req);
    if (!client) return sendPage(res, 404, renderMessagePage(GITHUB_BRAND, 'App not found', 'No GitHub App has this name. Check the install link.'));
    const session = context.sessions.ensure(req, res);
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(302, `/login?return_to=${encodeURIComponent(req.originalUrl)}`);
    sendPage(res, 200, renderInstallPage(context, client, user, session));
  });

  router.post(INSTALL_PATH, form, (req, res) => {
    const client = findApp(context, req);
    if (!client) return sendPage(res, 404, renderMessagePage(GITHUB_BRAND, 'App not found', 'No GitHub App has this name. Check the install link.'));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const session = context.sessions.read(req);
    if (!session || !context.sessions.verifyCsrf(session, body.csrf_token)) {
      return sendPage(res, 403, renderMessagePage(GITHUB_BRAND, 'This form has expired', 'Open the install link again.'));
    }
    const user = session.userId === null ? undefined : context.state.users.get(session.userId);
    if (!user) return res.redirect(303, `/login?return_to=${encodeURIComponent(req.originalUrl)}`);
    const chosen = ([] as unknown[]).concat(body.repositories ?? []).filter((value): value is string => typeof value === 'string');
    const allowed = administered(context, user);
    const repositories = allowed.filter((repo) => chosen.includes(fullName(repo)));
    if (repositories.length === 0 || repositories.length !== chosen.length) {
      return sendPage(res, 400, renderInstallPage(context, client, user, session, 'Choose at least one of your repositories.'));
    }
    context.state.installApp(client, repositories);
    sendPage(
      res,
      200,
      renderMessagePage(GITHUB_BRAND, `${client.name} is installed`, `It can now reach ${repositories.map(fullName).join(', ')}. Go back to the app to connect.`),
    );
  });

  return router;
}

function findApp(context: GitHubContext, req: Request): OAuthClient | undefined {
  return [...context.state.clients.values()].find((client) => client.kind === 'github-app' && client.slug === req.params.slug);
}

function fullName(repo: Repository): string {
  return `${repo.owner.login}/${repo.name}`;
}

/** Repositories the user administers: where an app may be installed by them. */
function administered(context: GitHubContext, user: User): Repository[] {
  return [...context.state.repositories.values()]
    .filter((repo) => repo.collaborators.get(user.id) === 'admin')
    .sort((a, b) => fullName(a).localeCompare(fullName(b)));
}

function renderInstallPage(context: GitHubContext, client: OAuthClient, user: User, session: MemorySession, error?: string): string {
  const repositories = administered(context, user);
  const installed = new Set(client.installations.flatMap((installation) => [...installation.repositoryIds]));
  const main = html`<section class="card" aria-labelledby="install-heading">
    <h1 id="install-heading">Install ${client.name}</h1>
    <p>${client.name} by <strong>${client.owner.login}</strong> asks for:</p>
    <ul class="scopes">
      ${Object.entries(client.permissions ?? {}).map(([name, level]) => html`<li>${level === 'write' ? 'Read and write' : 'Read'} access to ${name.replace(/_/g, ' ')}</li>`)}
    </ul>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
    ${repositories.length === 0
      ? html`<p>You administer no repositories, so there is nothing to install it on.</p>`
      : html`<form method="post" action="/apps/${client.slug ?? ''}/installations/new">
          <input type="hidden" name="csrf_token" value="${session.csrfToken}" />
          <fieldset>
            <legend>Only select repositories</legend>
            ${repositories.map(
              (repo) => html`<div class="checkbox">
                <input type="checkbox" id="repo-${repo.id}" name="repositories" value="${fullName(repo)}" ${installed.has(repo.id) ? html`checked` : ''} />
                <label for="repo-${repo.id}">${fullName(repo)}</label>
              </div>`,
            )}
          </fieldset>
          <div class="actions"><button type="submit" class="primary">Install</button></div>
        </form>`}
  </section>`;
  return renderPageFrame({
    brand: GITHUB_BRAND,
    title: `Install ${client.name}`,
    main,
    signedIn: { displayName: user.name, username: user.login, csrfToken: session.csrfToken, signOutPath: '/logout' },
  });
}

