import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { useUpdateScmIntegration } from '../api/use-scm-integration-mutations.ts';

/**
 * The runner came back at another public URL than the OAuth consumer knows: the new callback URL
 * to paste into the consumer, and the confirmation that it is there. Until then Validate fails and
 * developers' Connect is paused with "ask an admin".
 */
export function CallbackUrlChanged({
  runner,
  integration,
  newCallbackUrl,
}: {
  runner: Runner;
  integration: ScmIntegration;
  newCallbackUrl: string;
}) {
  const update = useUpdateScmIntegration(runner.id, integration.id);
  return (
    <div className="callback-changed">
      <CopyField label="New callback URL" value={newCallbackUrl} multiline />
      <Button
        pending={update.isPending}
        onClick={() => update.mutate({ callbackUrl: newCallbackUrl })}
      >
        I updated the consumer
      </Button>
      {update.isError ? (
        <p className="field__error" role="alert">
          {update.error.message}
        </p>
      ) : null}
    </div>
  );
}
