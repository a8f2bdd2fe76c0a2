import { useQuery } from '@tanstack/react-query';
import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { useState } from 'react';
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
  // The picker offers to edit a provider the runner already has, in place of adding it twice.
  const [editing, setEditing] = useState<ScmIntegration | undefined>(undefined);
  if (schema.data?.publicKey) {
    return (
      <IntegrationForm
        key={editing?.id ?? 'new'}
        runner={runner}
        schema={schema.data}
        publicKey={schema.data.publicKey}
        integration={editing}
        onEditExisting={setEditing}
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
