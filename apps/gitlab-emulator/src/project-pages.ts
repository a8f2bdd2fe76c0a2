import { html, renderMessagePage, renderPageFrame, sendPage, type SafeHtml } from '@runner-console/emulator-kit';
import { Router } from 'express';
import type { GitLabContext } from './context.ts';
import { GITLAB_BRAND, SIGN_IN_PATH } from './oauth/authorize-router.ts';
import { repositoryGitDir } from './seed.ts';
import { pathWithNamespace, type Project, type User } from './state.ts';

/**
 * Read-only pages at GitLab's addresses (`/{namespace}/{project}`, `/-/tree/{branch}`,
 * `/-/merge_requests/{iid}`, `/-/commit/{sha}`), so the `web_url`s the API answers lead somewhere
 * and a developer can copy a context URL on the emulator's own origin. Private projects need a
 * signed-in member.
 */
export function createProjectPagesRouter(context: GitLabContext): Router {
  const router = Router();
  router.get(/^\/[^_].*/, async (req, res, next) => {
    const segments = req.path.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
    const dash = segments.indexOf('-');
    const projectSegments = dash >= 0 ? segments.slice(0, dash) : segments;
    const project = projectSegments.length >= 2 ? context.state.findProjectByPath(projectSegments.join('/')) : undefined;
    if (!project) return next();
    const session = context.sessions.read(req);
    const user = session?.userId == null ? undefined : context.state.users.get(session.userId);
    if (project.visibility === 'private' && !user) return res.redirect(302, `${SIGN_IN_PATH}?return_to=${encodeURIComponent(req.originalUrl)}`);
    const viewer = user && session ? { user, csrfToken: session.csrfToken } : undefined;
    const visible = project.visibility !== 'private' || (user !== undefined && context.state.accessLevelOf(user.id, project) !== undefined);
    const [section, ...rest] = dash >= 0 ? segments.slice(dash + 1) : [];
    const body = visible ? await render(context, project, viewer, section, rest) : undefined;
    if (body === undefined) return sendPage(res, 404, renderMessagePage(GITLAB_BRAND, 'Page not found', 'There is nothing here, or you cannot see it. Sign in as a user with access.'));
    sendPage(res, 200, body);
  });
  return router;
}

interface Viewer {
  user: User;
  csrfToken: string;
}

async function render(context: GitLabContext, project: Project, viewer: Viewer | undefined, section: string | undefined, rest: string[]): Promise<string | undefined> {
  const dir = repositoryGitDir(context.reposRoot, project);
  const base = `/${pathWithNamespace(project)}`;
  switch (section) {
    case undefined: {
      const branches = await context.git.listBranches(dir);
      const mergeRequests = context.state.mergeRequests.filter((mr) => mr.projectId === project.id);
      return page(project, viewer, pathWithNamespace(project), html`
        ${project.description ? html`<p>${project.description}</p>` : ''}
        <p><label for="clone-url">Clone with HTTPS</label></p>
        <p><input id="clone-url" readonly value="${context.origins.web}${base}.git" /></p>
        <h2>Branches</h2>
        <ul>${branches.map((branch) => html`<li><a href="${base}/-/tree/${branch.name}">${branch.name}</a>${branch.name === project.defaultBranch ? ' (default)' : ''}</li>`)}</ul>
        <h2>Merge requests</h2>
        ${mergeRequests.length === 0
          ? html`<p class="hint">No open merge requests.</p>`
          : html`<ul>${mergeRequests.map((mr) => html`<li><a href="${base}/-/merge_requests/${mr.iid}">!${mr.iid} ${mr.title}</a></li>`)}</ul>`}
      `);
    }
    case 'tree': {
      const name = rest.join('/');
      const branch = await context.git.findBranch(dir, name);
      if (!branch) return undefined;
      return page(project, viewer, `${pathWithNamespace(project)} at ${name}`, html`
        <p>Branch <code>${name}</code>: <a href="${base}/-/commit/${branch.commit.hash}"><code>${branch.commit.hash.slice(0, 8)}</code></a> ${branch.commit.message.split('\n')[0] ?? ''}</p>
      `);
    }
    case 'commit': {
      const commit = rest[0] ? await context.git.findCommit(dir, rest[0]) : undefined;
      if (!commit) return undefined;
      return page(project, viewer, commit.message.split('\n')[0] ?? '', html`<p>Commit <code>${commit.hash}</code> by ${commit.authorName} on ${commit.date}</p>`);
    }
    case 'merge_requests': {
      const mergeRequest = context.state.mergeRequests.find((mr) => mr.projectId === project.id && String(mr.iid) === rest[0]);
      const source = mergeRequest && context.state.projects.get(mergeRequest.sourceProjectId);
      if (!mergeRequest || !source) return undefined;
      return page(project, viewer, `${mergeRequest.title} !${mergeRequest.iid}`, html`
        <p>Open: merge <code>${source.id === project.id ? '' : `${pathWithNamespace(source)}:`}${mergeRequest.sourceBranch}</code> into <code>${mergeRequest.targetBranch}</code>.</p>
        <p>${mergeRequest.description}</p>
      `);
    }
    default:
      return undefined;
  }
}

function page(project: Project, viewer: Viewer | undefined, title: string, content: SafeHtml): string {
  return renderPageFrame({
    brand: GITLAB_BRAND,
    title,
    main: html`<section class="card" aria-labelledby="page-heading">
      <p class="hint"><a href="/${pathWithNamespace(project)}">${pathWithNamespace(project)}</a>${project.visibility === 'private' ? ' (private)' : ''}</p>
      <h1 id="page-heading">${title}</h1>
      ${content}
    </section>`,
    ...(viewer ? { signedIn: { displayName: viewer.user.name, username: viewer.user.username, csrfToken: viewer.csrfToken, signOutPath: '/users/sign_out' } } : {}),
  });
}

