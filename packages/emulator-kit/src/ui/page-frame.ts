import { html, type SafeHtml } from './html-template.ts';

export const KIT_STYLESHEET_PATH = '/_emulator/assets/kit.css';

/** What makes one emulator's pages look like its provider's. */
export interface PageBrand {
  /** "GitHub", shown in the header and titles as "GitHub (emulator)". */
  name: string;
  /** Header colour, a CSS colour such as #24292f. */
  headerColor: string;
}

export interface PageFrameOptions {
  brand: PageBrand;
  title: string;
  main: SafeHtml;
  /** The signed-in user, shown in the header with a "Sign out" button. */
  signedIn?: { displayName: string; username: string; csrfToken: string; signOutPath: string };
}

/** The frame of every kit page: header, main landmark, no script (the CSP allows none). */
export function renderPageFrame(options: PageFrameOptions): string {
  const { brand } = options;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} | ${brand.name} (emulator)</title>
        <link rel="stylesheet" href="${KIT_STYLESHEET_PATH}" />
      </head>
      <body>
        <header class="site-header">
          <a class="brand" href="/">${brand.name} <span class="badge">emulator</span></a>
          ${options.signedIn
            ? html`<form class="account-menu" method="post" action="${options.signedIn.signOutPath}">
                <span>Signed in as <strong>${options.signedIn.displayName}</strong> (${options.signedIn.username})</span>
                <input type="hidden" name="csrf_token" value="${options.signedIn.csrfToken}" />
                <button type="submit" class="link-button">Sign out</button>
              </form>`
            : ''}
        </header>
        <main id="main">${options.main}</main>
      </body>
    </html> `.value;
}

/** The kit pages' stylesheet (served by `createKitAssetsRouter`; no inline styles, per the CSP). */
export const KIT_STYLESHEET = `
:root { color-scheme: light; --accent: #0969da; --text: #1f2328; --muted: #59636e; --border: #d1d9e0; --danger: #d1242f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: var(--text); background: #f6f8fa; }
.site-header { display: flex; flex-wrap: wrap; gap: 0.5rem; justify-content: space-between; align-items: center; padding: 0.75rem 1.5rem; background: var(--header, #24292f); color: #fff; }
.site-header a, .site-header .link-button { color: #fff; }
.brand { font-weight: 600; font-size: 1.1rem; text-decoration: none; }
.badge { font-size: 0.7rem; text-transform: uppercase; background: rgba(255,255,255,0.2); border-radius: 3px; padding: 0.1rem 0.35rem; }
.account-menu { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin: 0; }
main { max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid var(--border); border-radius: 6px; padding: 1.5rem; }
h1 { font-size: 1.4rem; margin-top: 0; overflow-wrap: anywhere; }
h2 { font-size: 1.05rem; }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 1rem; }
label { font-weight: 600; }
input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--border); border-radius: 6px; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; margin-top: 1rem; }
button { font: inherit; padding: 0.45rem 0.9rem; border-radius: 6px; border: 1px solid var(--border); background: #f6f8fa; color: var(--text); cursor: pointer; }
button.primary { background: #1f883d; border-color: #1f883d; color: #fff; }
.link-button { background: none; border: none; padding: 0; text-decoration: underline; }
.hint { color: var(--muted); }
.error { color: var(--danger); border-left: 4px solid var(--danger); padding-left: 0.75rem; }
ul.scopes li { margin-bottom: 0.35rem; }
fieldset { border: 1px solid var(--border); border-radius: 6px; margin: 0 0 1rem; padding: 0.5rem 1rem 0.75rem; }
legend { font-weight: 600; padding: 0 0.25rem; }
.checkbox { display: flex; gap: 0.5rem; align-items: center; margin: 0.35rem 0; }
.checkbox label { font-weight: 400; }
`;
