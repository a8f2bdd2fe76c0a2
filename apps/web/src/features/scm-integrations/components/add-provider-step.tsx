import { useQuery } from '@tanstack/react-query';
import type { Runner } from '@runner-console/contracts';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import { IntegrationForm } from './integration-form.tsx';
import '../../../styles/scm-integrations.css';

/**
 * "Add a new provider" as a step of another dialog (runner set-up): the same form as the modal,
 * for a runner that has just connected. `onDone` runs once the integration is saved.
 */
export function AddProviderStep({
  runner,
  onDone,
  onPendingChange,
}: {
  runner: Runner;
  onDone: () => void;
  onPendingChange?: (pending: boolean) => void;
}) {
  const schema = useQuery(scmIntegrationQueries.configurationSchema(runner.id));
  if (schema.data?.publicKey) {
    return (
      <IntegrationForm
        runner={runner}
        schema={schema.data}
        publicKey={schema.data.publicKey}
        integration={undefined}
        onPendingChange={onPendingChange ?? (() => undefined)}
        onDone={onDone}
      />
    );
  }
  if (schema.data) {
    return (
      <p className="muted" role="status">
        Waiting for the runner to register its key…
      </p>
    );
  }
  return (
    <QueryState
      query={schema}
      loading="Loading the provider settings…"
      errorTitle="The provider settings could not be loaded"
    />
  );
}
