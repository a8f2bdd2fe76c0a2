import { html, renderMessagePage, renderPageFrame, sendPage, type SafeHtml } from '@runner-console/emulator-kit';
import { Router, type Request, type Response } from 'express';
import type { GitHubContext } from '../context.ts';
import { GITHUB_BRAND } from '../oauth/authorize-router.ts';
import { repositoryGitDir } from '../seed.ts';
import type { Repository, User } from '../state.ts';

/**
 * Read-only pages at github.com's addresses (`/{o}/{r}`, `/tree/{branch}`, `/pull/{n}`,
 * `/commit/{sha}`), so the links the API answers lead somewhere and a developer can copy a context
 * URL on the emulator's own origin. Private repositories need a signed-in user who can read them.
 */
export function createRepositoryPagesRouter(context: GitHubContext): Router {
  const router = Router();

  router.get('/:owner/:repo', (req, res) =>
    withRepository(context, req, res, async (repo, viewer) => {
      const dir = repositoryGitDir(context.reposRoot, repo);
      const branches = await context.git.listBranches(dir);
      const pulls = context.state.pulls.filter((pull) => pull.repositoryId === repo.id);
      const base = `/${repo.owner.login}/${repo.name}`;
      return page(repo, viewer, `${repo.owner.login}/${repo.name}`, html`
        ${repo.description ? html`<p>${repo.description}</p>` : ''}
        <p><label for="clone-url">Clone over HTTPS</label></p>
        <p><input id="clone-url" readonly value="${context.origins.web}${base}.git" /></p>
        <h2>Branches</h2>
        <ul>${branches.map((branch) => html`<li><a href="${base}/tree/${branch.name}">${branch.name}</a>${branch.name === repo.defaultBranch ? ' (default)' : ''}</li>`)}</ul>
        <h2>Pull requests</h2>
        ${pulls.length === 0
          ? html`<p class="hint">No open pull requests.</p>`
          : html`<ul>${pulls.map((pull) => html`<li><a href="${base}/pull/${pull.number}">#${pull.number} ${pull.title}</a></li>`)}</ul>`}
      `);
    }),
  );

  router.get('/:owner/:repo/tree/*ref', (req, res) =>
    withRepository(context, req, res, async (repo, viewer) => {
      const name = wildcard(req, 'ref');
      const branch = await context.git.findBranch(repositoryGitDir(context.reposRoot, repo), name);
      if (!branch) return undefined;
      return page(repo, viewer, `${repo.owner.login}/${repo.name} at ${name}`, html`
        <p>Branch <code>${name}</code>: <a href="/${repo.owner.login}/${repo.name}/commit/${branch.commit.hash}"><code>${branch.commit.hash.slice(0, 7)}</code></a> ${firstLine(branch.commit.message)}</p>
      `);
    }),
  );

  router.get('/:owner/:repo/commit/:sha', (req, res) =>
    withRepository(context, req, res, async (repo, viewer) => {
      const commit = await context.git.findCommit(repositoryGitDir(context.reposRoot, repo), req.params.sha);
      if (!commit) return undefined;
      return page(repo, viewer, firstLine(commit.message), html`
        <p>Commit <code>${commit.hash}</code> by ${commit.authorName} on ${commit.date}</p>
      `);
    }),
  );

  router.get('/:owner/:repo/pull/:number', (req, res) =>
    withRepository(context, req, res, async (repo, viewer) => {
      const pull = context.state.pulls.find((candidate) => candidate.repositoryId === repo.id && String(candidate.number) === req.params.number);
      const head = pull && context.state.repositories.get(pull.headRepositoryId);
      if (!pull || !head) return undefined;
      return page(repo, viewer, `${pull.title} #${pull.number}`, html`
        <p>Open: merge into <code>${repo.owner.login}:${pull.baseRef}</code> from <code>${head.owner.login}:${pull.headRef}</code>${head.id === repo.id ? '' : html` (the fork <a href="/${head.owner.login}/${head.name}">${head.owner.login}/${head.name}</a>)`}.</p>
        <p>${pull.body}</p>
      `);
    }),
  );

  return router;
}

async function withRepository(
  context: GitHubContext,
  req: Request,
  res: Response,
  render: (repo: Repository, viewer: Viewer | undefined) => Promise<string | undefined>,
): Promise<void> {
  const repo = context.state.findRepository(String(req.params.owner), String(req.params.repo));
  const session = context.sessions.read(req);
  const user = session?.userId == null ? undefined : context.state.users.get(session.userId);
  if (repo?.private && !user) return res.redirect(302, `/login?return_to=${encodeURIComponent(req.originalUrl)}`);
  const visible = repo && (!repo.private || (user && context.state.roleOf(user.id, repo)));
  const viewer = user && session ? { user, csrfToken: session.csrfToken } : undefined;
  const body = visible ? await render(repo, viewer) : undefined;
  if (body === undefined) {
    return sendPage(res, 404, renderMessagePage(GITHUB_BRAND, 'Page not found', 'There is nothing here, or you cannot see it. Sign in as a user with access.'));
  }
  sendPage(res, 200, body);
}

/** The signed-in user, and the session's CSRF token for the Sign out form. */
interface Viewer {
  user: User;
  csrfToken: string;
}

function page(repo: Repository, viewer: Viewer | undefined, title: string, content: SafeHtml): string {
  return renderPageFrame({
    brand: GITHUB_BRAND,
    title,
    main: html`<section class="card" aria-labelledby="page-heading">
      <p class="hint"><a href="/${repo.owner.login}/${repo.name}">${repo.owner.login}/${repo.name}</a>${repo.private ? ' (private)' : ''}</p>
      <h1 id="page-heading">${title}</h1>
      ${content}
    </section>`,
    ...(viewer
      ? { signedIn: { displayName: viewer.user.name, username: viewer.user.login, csrfToken: viewer.csrfToken, signOutPath: '/logout' } }
      : {}),
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

function wildcard(req: Request, name: string): string {
  const value = (req.params as Record<string, string | string[]>)[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
