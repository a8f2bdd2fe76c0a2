import { useIsMutating } from '@tanstack/react-query';
import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { getScmProvider } from '@runner-console/scm-providers';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { validateMutationKey } from '../api/use-scm-integration-mutations.ts';
import { describeValidation } from '../integration-labels.ts';
import { IntegrationActions } from './integration-actions.tsx';
import { ProviderIcon } from './provider-icon.tsx';
import { CallbackUrlChanged } from './callback-url-changed.tsx';

export function IntegrationsTable({
  runner,
  integrations,
  canManage,
  onDelete,
}: {
  runner: Runner;
  integrations: readonly ScmIntegration[];
  canManage: boolean;
  onDelete: (integration: ScmIntegration, trigger: HTMLElement) => void;
}) {
  return (
    <div className="table-wrap">
      <table className="table table--stack integrations-table">
        <caption className="visually-hidden">Repository access of {runner.name}</caption>
        <thead>
          <tr>
            <th scope="col">Provider and host</th>
            <th scope="col">OAuth</th>
            <th scope="col">API tokens</th>
            {canManage ? <th scope="col">Client ID</th> : null}
            <th scope="col">Last changed</th>
            <th scope="col">Status</th>
            {canManage ? (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {integrations.map((integration) => (
            <IntegrationRow
              key={integration.id}
              runner={runner}
              integration={integration}
              canManage={canManage}
              onDelete={onDelete}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function IntegrationRow({
  runner,
  integration,
  canManage,
  onDelete,
}: {
  runner: Runner;
  integration: ScmIntegration;
  canManage: boolean;
  onDelete: (integration: ScmIntegration, trigger: HTMLElement) => void;
}) {
  const provider = getScmProvider(integration.provider);
  const validating =
    useIsMutating({ mutationKey: validateMutationKey(runner.id, integration.id) }) > 0;
  const status = validating
    ? ({ label: 'Validating…', tone: 'info' } as const)
    : describeValidation(integration, provider.name);
  // Say why, with the next step, unless the label says it all.
  const showMessage =
    !validating &&
    integration.validation.message &&
    !['valid', 'pending', 'not_validated'].includes(integration.validation.status);

  return (
    <tr>
      <th scope="row" className="table__name">
        <span className="integration-provider">
          <ProviderIcon providerId={integration.provider} />
          <span className="integration-provider__text">
            {provider.name}
            <code className="integration-provider__host">{integration.host}</code>
          </span>
        </span>
      </th>
      <td data-label="OAuth">{integration.oauthEnabled ? 'On' : 'Off'}</td>
      <td data-label="API tokens">{integration.patEnabled ? 'On' : 'Off'}</td>
      {canManage ? (
        <td data-label="Client ID">
          {integration.clientId ? (
            // Shortened in the row: the whole ID on hover (title) and on focus (CSS).
            <code className="integration-client-id" title={integration.clientId} tabIndex={0}>
              {integration.clientId}
            </code>
          ) : (
            <span className="muted">Not set</span>
          )}
        </td>
      ) : null}
      <td data-label="Last changed">
        <span className="integration-changed">
          <span>
            {integration.updatedBy ? `by ${integration.updatedBy}` : 'by an unknown user'}
            <span className="visually-hidden">,</span>
          </span>
          <span className="integration-changed__when">
            <RelativeTime iso={integration.updatedAt} />
          </span>
        </span>
      </td>
      <td className="integration-status" data-label="Status">
        <StatusBadge tone={status.tone}>{status.label}</StatusBadge>
        {showMessage ? (
          // At most three lines in the row; the whole message on hover (title) and on focus (CSS).
          <span className="integration-status__message" title={integration.validation.message ?? undefined} tabIndex={0}>
            {integration.validation.message}
          </span>
        ) : null}
        {canManage && integration.newCallbackUrl ? (
          <CallbackUrlChanged runner={runner} integration={integration} newCallbackUrl={integration.newCallbackUrl} />
        ) : null}
      </td>
      {canManage ? (
        <td className="table__actions">
          <IntegrationActions runner={runner} integration={integration} onDelete={onDelete} />
        </td>
      ) : null}
    </tr>
  );
}
