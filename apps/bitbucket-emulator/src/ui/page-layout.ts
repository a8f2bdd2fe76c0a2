import type { User } from '../store/user-store.ts';
import { html, type SafeHtml } from '@runner-console/emulator-kit';

export const STYLESHEET_PATH = '/_emulator/assets/emulator.css';

export interface PageOptions {
  title: string;
  main: SafeHtml;
  /** The signed-in user, shown in the header with a "Log out" button. */
  user?: User;
  csrfToken?: string;
}

/** The frame of every page: header, main landmark, no script. */
export function renderPage(options: PageOptions): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} | Bitbucket (emulator)</title>
        <link rel="stylesheet" href="${STYLESHEET_PATH}" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">Bitbucket <span class="badge">emulator</span></a>
          ${renderAccountMenu(options.user, options.csrfToken)}
        </header>
        <main id="main">${options.main}</main>
      </body>
    </html> `.value;
}

function renderAccountMenu(user: User | undefined, csrfToken: string | undefined): SafeHtml {
  if (!user || !csrfToken) return html``;
  return html`<form class="account-menu" method="post" action="/account/signout/">
    <span>Signed in as <strong>${user.displayName}</strong> (${user.username})</span>
    <input type="hidden" name="csrf_token" value="${csrfToken}" />
    <button type="submit" class="link-button">Log out</button>
  </form>`;
}
