import { API_TOKEN_SCOPE_GROUPS } from '../api-tokens/api-token-scopes.ts';
import type { ApiTokenFieldErrors } from '../api-tokens/create-api-token.ts';
import type { ApiToken } from '../store/api-token-store.ts';
import type { User } from '../store/user-store.ts';
import { html, type SafeHtml } from '@runner-console/emulator-kit';
import { renderPage } from './page-layout.ts';

export const API_TOKENS_PATH = '/account/settings/api-tokens/';

export interface ApiTokenPageContext {
  user: User;
  csrfToken: string;
  /** The emulator clock's now, in epoch milliseconds. */
  now: number;
}

export interface ApiTokenFormValues {
  name: string;
  expiresAt: string;
  scopes: readonly string[];
}

/** Personal settings › API tokens: the list with Revoke, and the "Create API token with scopes" form. */
export function renderApiTokensPage(
  context: ApiTokenPageContext,
  tokens: readonly ApiToken[],
  values: ApiTokenFormValues,
  errors: ApiTokenFieldErrors = {},
  notice?: string,
): string {
  const maxDate = new Date(context.now + 365 * 86_400_000).toISOString().slice(0, 10);
  const minDate = new Date(context.now + 86_400_000).toISOString().slice(0, 10);
  const main = html`<nav aria-label="Breadcrumbs" class="breadcrumbs">Personal settings</nav>
    <h1>API tokens</h1>
    <p>
      API tokens let scripts and tools use Bitbucket as you: the REST API with your e-mail
      (${context.user.email}) and the token, git with <code>x-bitbucket-api-token-auth</code> or your
      username (${context.user.username}) and the token.
    </p>
    ${notice ? html`<p role="status" class="notice">${notice}</p>` : ''}
    ${renderTokenTable(context, tokens)}
    <h2 id="create-heading">Create API token with scopes</h2>
    ${
      Object.keys(errors).length > 0
        ? html`<div class="error" role="alert">
            <p>The token was not created. Correct the fields below and try again.</p>
          </div>`
        : ''
    }
    <form method="post" action="${API_TOKENS_PATH}" aria-labelledby="create-heading" novalidate>
      <input type="hidden" name="csrf_token" value="${context.csrfToken}" />
      <div class="field">
        <label for="token-name">Name</label>
        <input id="token-name" name="name" value="${values.name}" maxlength="100" />
      </div>
      <div class="field">
        <label for="token-expiry">Expiry date</label>
        <input
          id="token-expiry"
          name="expires_at"
          type="date"
          min="${minDate}"
          max="${maxDate}"
          value="${values.expiresAt}"
          aria-describedby="token-expiry-hint${errors.expiresAt ? ' token-expiry-error' : ''}"
          ${errors.expiresAt ? html`aria-invalid="true"` : ''}
        />
        <p class="hint" id="token-expiry-hint">At most one year from today (${maxDate}).</p>
        ${errors.expiresAt ? html`<p class="field-error" id="token-expiry-error">${errors.expiresAt}</p>` : ''}
      </div>
      <fieldset class="permissions" ${errors.scopes ? html`aria-describedby="scopes-error"` : ''}>
        <legend>Scopes</legend>
        ${errors.scopes ? html`<p class="field-error" id="scopes-error">${errors.scopes}</p>` : ''}
        ${API_TOKEN_SCOPE_GROUPS.map(
          (group) =>
            html`<fieldset class="permission-group">
              <legend>${group.label}</legend>
              ${group.scopes.map(([scope, label]) => scopeCheckbox(group.label, label, scope, values.scopes))}
            </fieldset>`,
        )}
      </fieldset>
      <div class="actions"><button type="submit" class="primary">Create token</button></div>
    </form>`;
  return renderPage({ title: 'API tokens', main, user: context.user, csrfToken: context.csrfToken });
}

/** Shown once, right after creation: the token cannot be seen again. */
export function renderCreatedTokenPage(context: ApiTokenPageContext, token: string, record: ApiToken): string {
  const main = html`<nav aria-label="Breadcrumbs" class="breadcrumbs">
      Personal settings › <a href="${API_TOKENS_PATH}">API tokens</a>
    </nav>
    <h1>Your new API token</h1>
    <p role="status">
      Copy the token now: it is shown only once. It expires on ${formatDate(record.expiresAt)}.
    </p>
    <div class="field">
      <label for="new-api-token">API token</label>
      <input id="new-api-token" readonly value="${token}" class="code" />
    </div>
    <p>Scopes: ${record.scopes.map((scope) => html`<code>${scope}</code> `)}</p>
    <p><a href="${API_TOKENS_PATH}">Back to API tokens</a></p>`;
  return renderPage({ title: 'Your new API token', main, user: context.user, csrfToken: context.csrfToken });
}

function renderTokenTable(context: ApiTokenPageContext, tokens: readonly ApiToken[]): SafeHtml {
  if (tokens.length === 0) return html`<p>You have no API tokens yet.</p>`;
  return html`<table>
    <caption>Your API tokens</caption>
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Scopes</th>
        <th scope="col">Expires</th>
        <th scope="col">Status</th>
        <th scope="col"><span class="visually-hidden">Actions</span></th>
      </tr>
    </thead>
    <tbody>
      ${tokens.map(
        (token) =>
          html`<tr>
            <td>${token.name} <code>${token.prefix}…</code></td>
            <td>${token.scopes.join(', ')}</td>
            <td>${formatDate(token.expiresAt)}</td>
            <td>${token.revokedAt !== null ? 'Revoked' : token.expiresAt <= context.now ? 'Expired' : 'Active'}</td>
            <td>
              ${
                token.revokedAt === null
                  ? html`<form method="post" action="${API_TOKENS_PATH}${token.id}/revoke">
                      <input type="hidden" name="csrf_token" value="${context.csrfToken}" />
                      <button type="submit" aria-label="Revoke ${token.name}">Revoke</button>
                    </form>`
                  : ''
              }
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function scopeCheckbox(group: string, label: string, scope: string, checked: readonly string[]): SafeHtml {
  const id = `scope-${scope.replaceAll(':', '-')}`;
  return html`<div class="checkbox">
    <input type="checkbox" id="${id}" name="scopes" value="${scope}" ${checked.includes(scope) ? 'checked' : ''} />
    <label for="${id}">${group}: ${label} <code class="scope">${scope}</code></label>
  </div>`;
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
