import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { useValidateScmIntegration } from '../api/use-scm-integration-mutations.ts';
import { EditIntegrationDialog } from './integration-dialog.tsx';
import { integrationName } from './provider-icon.tsx';

/** Validate, Edit, Delete for one row. Each button's name says which integration it acts on. */
export function IntegrationActions({
  runner,
  integration,
  onDelete,
}: {
  runner: Runner;
  integration: ScmIntegration;
  onDelete: (integration: ScmIntegration, trigger: HTMLElement) => void;
}) {
  const name = integrationName(integration);
  const validate = useValidateScmIntegration(runner.id, integration.id);
  const toast = useToast();

  return (
    <div className="row-actions">
      <Button
        pending={validate.isPending}
        onClick={() =>
          validate.mutate(undefined, {
            // The row shows the status too; the toast says the check happened and what it found.
            onSuccess: ({ validation }) =>
              toast({
                title: validation.status === 'valid' ? `${name} is valid` : `${name}: check failed`,
                ...(validation.message ? { description: validation.message } : {}),
                tone: validation.status === 'valid' ? 'success' : 'error',
              }),
            onError: (error) =>
              toast({
                title: `${name} could not be validated`,
                description: error.message,
                tone: 'error',
              }),
          })
        }
      >
        Validate<span className="visually-hidden"> {name}</span>
      </Button>
      <EditIntegrationDialog runner={runner} integration={integration} />
      <Button
        variant="danger"
        onClick={(event) => onDelete(integration, event.currentTarget)}
      >
        Delete<span className="visually-hidden"> {name}</span>
      </Button>
    </div>
  );
}
