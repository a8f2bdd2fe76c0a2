import { html } from '@runner-console/emulator-kit';
import { renderPage } from './page-layout.ts';

export interface SignInPageOptions {
  csrfToken: string;
  next: string;
  username?: string;
  failed?: boolean;
}

/** The emulator's stand-in for Atlassian's log-in page. */
export function renderSignInPage(options: SignInPageOptions): string {
  const main = html`<section class="card narrow" aria-labelledby="signin-heading">
    <h1 id="signin-heading">Log in to Bitbucket</h1>
    <p class="hint">
      This is the Bitbucket emulator. Its users are <code>alice</code> and <code>bob</code>; each
      password is the username.
    </p>
    ${options.failed ? html`<p class="error" role="alert">Incorrect username or password. Check them and try again.</p>` : ''}
    <form method="post" action="/account/signin/">
      <input type="hidden" name="csrf_token" value="${options.csrfToken}" />
      <input type="hidden" name="next" value="${options.next}" />
      <div class="field">
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          required
          value="${options.username ?? ''}"
        />
      </div>
      <div class="field">
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary">Log in</button>
      </div>
    </form>
  </section>`;
  return renderPage({ title: 'Log in', main });
}
