import { html } from './html-template.ts';
import { renderPageFrame, type PageBrand } from './page-frame.ts';

export interface SignInPageOptions {
  brand: PageBrand;
  /** Where the form posts. */
  action: string;
  csrfToken: string;
  /** Where to go after signing in (a same-origin path). */
  returnTo: string;
  /** Shown above the form: the emulator's seeded users and their passwords. */
  hint: string;
  username?: string;
  failed?: boolean;
}

/** A provider's sign-in page: username and password, CSRF-protected, no script. */
export function renderSignInPage(options: SignInPageOptions): string {
  const main = html`<section class="card" aria-labelledby="signin-heading">
    <h1 id="signin-heading">Sign in to ${options.brand.name}</h1>
    <p class="hint">${options.hint}</p>
    ${options.failed ? html`<p class="error" role="alert">Incorrect username or password.</p>` : ''}
    <form method="post" action="${options.action}">
      <input type="hidden" name="csrf_token" value="${options.csrfToken}" />
      <input type="hidden" name="return_to" value="${options.returnTo}" />
      <div class="field">
        <label for="login_field">Username or email address</label>
        <input id="login_field" name="login" autocomplete="username" required value="${options.username ?? ''}" />
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </div>
      <div class="actions"><button type="submit" class="primary">Sign in</button></div>
    </form>
  </section>`;
  return renderPageFrame({ brand: options.brand, title: 'Sign in', main });
}
