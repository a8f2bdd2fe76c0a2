import type { User } from '../store/user-store.ts';
import { html } from '@runner-console/emulator-kit';
import { renderPage } from './page-layout.ts';

export interface ErrorPageOptions {
  title: string;
  message: string;
  user?: User;
  csrfToken?: string;
}

export function renderErrorPage(options: ErrorPageOptions): string {
  const main = html`<section class="card narrow" aria-labelledby="error-heading">
    <h1 id="error-heading">${options.title}</h1>
    <p role="alert">${options.message}</p>
    <p><a href="/">Go to the emulator's home page</a></p>
  </section>`;
  return renderPage({
    title: options.title,
    main,
    user: options.user,
    csrfToken: options.csrfToken,
  });
}

/** A form whose CSRF token did not match: an old page, another session, or a forged request. */
export function renderExpiredFormPage(): string {
  return renderErrorPage({
    title: 'This form has expired',
    message:
      'The page was open too long or your session changed. Go back, reload the page and try again.',
  });
}
