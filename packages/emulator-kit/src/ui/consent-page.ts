import { html } from './html-template.ts';
import { renderPageFrame, type PageBrand } from './page-frame.ts';

export interface ConsentPageOptions {
  brand: PageBrand;
  /** Where the form posts (the authorize path). */
  action: string;
  appName: string;
  /** Who made the app, "by acme". */
  ownerName: string;
  user: { displayName: string; username: string };
  /** What the app will be able to do, one line each. */
  permissions: readonly { description: string; code?: string }[];
  csrfToken: string;
  /** The authorize request, sent back (and checked again) with the decision. */
  hiddenFields: Readonly<Record<string, string | undefined>>;
  redirectOrigin: string;
  signOutPath: string;
  /** Button labels: GitHub says "Authorize {app}" and "Cancel". */
  grantLabel: string;
}

/** The page where a user lets an app act for them, with Grant and Cancel. */
export function renderConsentPage(options: ConsentPageOptions): string {
  const main = html`<section class="card" aria-labelledby="consent-heading">
    <h1 id="consent-heading">${options.appName} wants to access your ${options.user.username} account</h1>
    <p><strong>${options.appName}</strong> by <strong>${options.ownerName}</strong></p>
    <h2 id="scopes-heading">It will be able to:</h2>
    ${options.permissions.length === 0
      ? html`<p>Read your public information only.</p>`
      : html`<ul class="scopes" aria-labelledby="scopes-heading">
          ${options.permissions.map((permission) => html`<li>${permission.description}${permission.code ? html` <code>${permission.code}</code>` : ''}</li>`)}
        </ul>`}
    <form method="post" action="${options.action}">
      <input type="hidden" name="csrf_token" value="${options.csrfToken}" />
      ${Object.entries(options.hiddenFields).map(([name, value]) =>
        value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}" />`,
      )}
      <div class="actions">
        <button type="submit" name="decision" value="grant" class="primary">${options.grantLabel}</button>
        <button type="submit" name="decision" value="cancel">Cancel</button>
      </div>
    </form>
    <p class="hint">Either button takes you back to ${options.redirectOrigin}.</p>
  </section>`;
  return renderPageFrame({
    brand: options.brand,
    title: `Authorize ${options.appName}`,
    main,
    signedIn: { ...options.user, csrfToken: options.csrfToken, signOutPath: options.signOutPath },
  });
}

/** A plain error page in the emulator's frame. */
export function renderMessagePage(brand: PageBrand, title: string, message: string): string {
  return renderPageFrame({
    brand,
    title,
    main: html`<section class="card" aria-labelledby="message-heading">
      <h1 id="message-heading">${title}</h1>
      <p>${message}</p>
    </section>`,
  });
}
