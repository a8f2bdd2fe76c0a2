import type { ConsumerFieldErrors } from '../oauth/create-consumer.ts';
import { PERMISSION_GROUPS, type Scope } from '../oauth/scopes.ts';
import type { Consumer } from '../store/consumer-store.ts';
import type { Workspace } from '../store/repository-store.ts';
import type { User } from '../store/user-store.ts';
import { html, type SafeHtml } from '@runner-console/emulator-kit';
import { renderPage } from './page-layout.ts';

export interface WorkspacePageContext {
  workspace: Workspace;
  user: User;
  csrfToken: string;
}

export function consumersPath(workspace: Workspace): string {
  return `/${workspace.slug}/workspace/settings/oauth-consumers`;
}

/** Workspace settings › OAuth consumers. */
export function renderConsumerListPage(
  context: WorkspacePageContext,
  consumers: readonly Consumer[],
): string {
  const base = consumersPath(context.workspace);
  const main = html`<nav aria-label="Breadcrumbs" class="breadcrumbs">
      ${context.workspace.name} › Workspace settings
    </nav>
    <h1>OAuth consumers</h1>
    <p>
      Consumers let other applications use Bitbucket on behalf of the people who authorize them.
    </p>
    <p><a class="button primary" href="${base}/new">Add consumer</a></p>
    ${
      consumers.length === 0
        ? html`<p>This workspace has no OAuth consumers yet.</p>`
        : html`<table>
            <caption>
              OAuth consumers of ${context.workspace.name}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key</th>
                <th scope="col">Private</th>
                <th scope="col">Permissions</th>
              </tr>
            </thead>
            <tbody>
              ${consumers.map(
                (consumer) =>
                  html`<tr>
                    <td><a href="${base}/${consumer.key}">${consumer.name}</a></td>
                    <td><code>${consumer.key}</code></td>
                    <td>${consumer.isPrivate ? 'Yes' : 'No'}</td>
                    <td>${consumer.scopes.join(', ') || 'None'}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
  return renderPage({
    title: 'OAuth consumers',
    main,
    user: context.user,
    csrfToken: context.csrfToken,
  });
}

export interface ConsumerFormValues {
  name: string;
  description: string;
  callbackUrl: string;
  url: string;
  isPrivate: boolean;
  permissions: readonly string[];
}

export const EMPTY_CONSUMER_FORM: ConsumerFormValues = {
  name: '',
  description: '',
  callbackUrl: '',
  url: '',
  isPrivate: false,
  permissions: [],
};

/** Workspace settings › OAuth consumers › Add consumer. */
export function renderConsumerFormPage(
  context: WorkspacePageContext,
  values: ConsumerFormValues,
  errors: ConsumerFieldErrors = {},
): string {
  const base = consumersPath(context.workspace);
  const errorList = Object.values(errors);
  const main = html`<nav aria-label="Breadcrumbs" class="breadcrumbs">
      ${context.workspace.name} › Workspace settings › OAuth consumers
    </nav>
    <h1>Add OAuth consumer</h1>
    ${
      errorList.length > 0
        ? html`<div class="error" role="alert">
            <p>The consumer was not saved. Correct the fields below and save again.</p>
          </div>`
        : ''
    }
    <form method="post" action="${base}/new" novalidate>
      <input type="hidden" name="csrf_token" value="${context.csrfToken}" />
      ${textField({ id: 'name', label: 'Name', value: values.name, error: errors.name, required: true })}
      <div class="field">
        <label for="description">Description</label>
        <textarea
          id="description"
          name="description"
          rows="3"
          ${describedBy('description', errors.description)}
        >
${values.description}</textarea>
        ${fieldError('description', errors.description)}
      </div>
      ${textField({
        id: 'callback_url',
        label: 'Callback URL',
        value: values.callbackUrl,
        error: errors.callbackUrl,
        hint: 'Where Bitbucket sends people after they grant access. A redirect_uri must start with it.',
        type: 'url',
      })}
      ${textField({ id: 'url', label: 'URL', value: values.url, error: errors.url, hint: 'Your application’s website (optional).', type: 'url' })}
      <div class="field checkbox">
        <input
          type="checkbox"
          id="is_private"
          name="is_private"
          value="on"
          ${values.isPrivate ? 'checked' : ''}
          aria-describedby="is_private-hint"
        />
        <label for="is_private">This is a private consumer</label>
        <p class="hint" id="is_private-hint">
          Private consumers can use the client credentials grant.
        </p>
      </div>
      <fieldset
        class="permissions"
        ${errors.permissions ? html`aria-describedby="permissions-error"` : ''}
      >
        <legend>Permissions</legend>
        ${fieldError('permissions', errors.permissions)}
        ${PERMISSION_GROUPS.map(
          (group) =>
            html`<fieldset class="permission-group">
              <legend>${group.label}</legend>
              ${group.permissions.map((permission) => permissionCheckbox(permission.label, permission.scope, values.permissions))}
            </fieldset>`,
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" class="primary">Save</button>
        <a href="${base}">Cancel</a>
      </div>
    </form>`;
  return renderPage({
    title: 'Add OAuth consumer',
    main,
    user: context.user,
    csrfToken: context.csrfToken,
  });
}

/** A consumer's page, with its Key and Secret (Bitbucket shows both to workspace admins). */
export function renderConsumerDetailsPage(
  context: WorkspacePageContext,
  consumer: Consumer,
): string {
  const base = consumersPath(context.workspace);
  const main = html`<nav aria-label="Breadcrumbs" class="breadcrumbs">
      ${context.workspace.name} › Workspace settings › <a href="${base}">OAuth consumers</a>
    </nav>
    <h1>${consumer.name}</h1>
    <p>
      Use the key as the client ID and the secret as the client secret. Keep the secret private.
    </p>
    <div class="field">
      <label for="consumer-key">Key</label>
      <input id="consumer-key" readonly value="${consumer.key}" class="code" />
    </div>
    <div class="field">
      <label for="consumer-secret">Secret</label>
      <input id="consumer-secret" readonly value="${consumer.secret}" class="code" />
    </div>
    <dl>
      <dt>Callback URL</dt>
      <dd>${consumer.callbackUrl ?? 'None'}</dd>
      <dt>Private consumer</dt>
      <dd>${consumer.isPrivate ? 'Yes' : 'No'}</dd>
      <dt>Permissions</dt>
      <dd>
        ${consumer.scopes.length > 0 ? consumer.scopes.map((scope) => html`<code>${scope}</code> `) : 'None'}
      </dd>
    </dl>
    <p><a href="${base}">Back to OAuth consumers</a></p>`;
  return renderPage({
    title: consumer.name,
    main,
    user: context.user,
    csrfToken: context.csrfToken,
  });
}

interface TextFieldOptions {
  id: string;
  label: string;
  value: string;
  error: string | undefined;
  hint?: string;
  required?: boolean;
  type?: 'text' | 'url';
}

function textField(options: TextFieldOptions): SafeHtml {
  const hintId = `${options.id}-hint`;
  const errorId = `${options.id}-error`;
  const described = [options.hint ? hintId : '', options.error ? errorId : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field">
    <label for="${options.id}">${options.label}</label>
    <input
      id="${options.id}"
      name="${options.id}"
      type="${options.type ?? 'text'}"
      value="${options.value}"
      ${options.required ? html`required` : ''}
      ${options.error ? html`aria-invalid="true"` : ''}
      ${described ? html`aria-describedby="${described}"` : ''}
    />
    ${options.hint ? html`<p class="hint" id="${hintId}">${options.hint}</p>` : ''}
    ${options.error ? html`<p class="field-error" id="${errorId}">${options.error}</p>` : ''}
  </div>`;
}

function describedBy(id: string, error: string | undefined): SafeHtml {
  return error ? html`aria-invalid="true" aria-describedby="${id}-error"` : html``;
}

function fieldError(id: string, error: string | undefined): SafeHtml {
  return error ? html`<p class="field-error" id="${id}-error">${error}</p>` : html``;
}

function permissionCheckbox(label: string, scope: Scope, checked: readonly string[]): SafeHtml {
  const id = `permission-${scope.replace(':', '-')}`;
  return html`<div class="checkbox">
    <input
      type="checkbox"
      id="${id}"
      name="permissions"
      value="${scope}"
      ${checked.includes(scope) ? 'checked' : ''}
    />
    <label for="${id}">${label}</label> <code class="scope">${scope}</code>
  </div>`;
}
