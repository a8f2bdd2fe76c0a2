import { SCOPE_DESCRIPTIONS, type Scope } from '../oauth/scopes.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { User } from '../store/user-store.ts';
import { html } from '@runner-console/emulator-kit';
import { renderPage } from './page-layout.ts';

export interface ConsentPageOptions {
  consumer: Consumer;
  workspaceName: string;
  user: User;
  /** The scopes the consumer will get, expanded. */
  scopes: readonly Scope[];
  csrfToken: string;
  /** The authorize request, re-sent (and re-checked) with the decision. */
  request: { clientId: string; responseType: string; redirectUri?: string; state?: string };
  redirectOrigin: string;
}

/** The page where the user grants a consumer access, as Bitbucket's "Grant access" page. */
export function renderConsentPage(options: ConsentPageOptions): string {
  const { consumer, request } = options;
  const main = html`<section class="card" aria-labelledby="consent-heading">
    <h1 id="consent-heading">Grant ${consumer.name} access to your account</h1>
    <p>
      <strong>${consumer.name}</strong>, a consumer of the
      <strong>${options.workspaceName}</strong> workspace, is requesting access to your Bitbucket
      account.
    </p>
    ${consumer.description ? html`<p class="hint">${consumer.description}</p>` : ''}
    ${consumer.url ? html`<p class="hint">Website: <a href="${consumer.url}" rel="noreferrer">${consumer.url}</a></p>` : ''}
    <h2 id="scopes-heading">${consumer.name} will be able to:</h2>
    ${renderScopeList(options.scopes)}
    <form method="post" action="/site/oauth2/authorize">
      <input type="hidden" name="csrf_token" value="${options.csrfToken}" />
      <input type="hidden" name="client_id" value="${request.clientId}" />
      <input type="hidden" name="response_type" value="${request.responseType}" />
      ${request.redirectUri === undefined ? '' : html`<input type="hidden" name="redirect_uri" value="${request.redirectUri}" />`}
      ${request.state === undefined ? '' : html`<input type="hidden" name="state" value="${request.state}" />`}
      <div class="actions">
        <button type="submit" name="decision" value="grant" class="primary">Grant access</button>
        <button type="submit" name="decision" value="cancel">Cancel</button>
      </div>
    </form>
    <p class="hint">Either button takes you back to ${options.redirectOrigin}.</p>
  </section>`;
  return renderPage({
    title: `Grant ${consumer.name} access`,
    main,
    user: options.user,
    csrfToken: options.csrfToken,
  });
}

function renderScopeList(scopes: readonly Scope[]) {
  if (scopes.length === 0) return html`<p>Read your public information only.</p>`;
  return html`<ul class="scopes" aria-labelledby="scopes-heading">
    ${scopes.map((scope) => html`<li>${SCOPE_DESCRIPTIONS[scope]} <code>${scope}</code></li>`)}
  </ul>`;
}
