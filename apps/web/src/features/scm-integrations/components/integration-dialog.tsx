import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ReactNode, Ref } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import type { ButtonVariant } from '../../../components/ui/button.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import {
  loadOnDemand,
  useOnDemandModule,
  usePreloadWhenIdle,
} from '../../../lib/load-on-demand.ts';
import { editIntegrationDialogText } from '../integration-labels.ts';
import { integrationName } from './provider-icon.tsx';

export const ADD_PROVIDER_TITLE = 'Add a new provider';

// The modal (react-hook-form, the form and its help) is a chunk of its own, so the
// runner page renders without it. It is fetched once the page is idle (and at the latest when the
// pointer or the focus reaches a button that opens it), so that a click does not wait for it.
const integrationDialog = loadOnDemand(() => import('./integration-dialog-content.tsx'));

/** "Add a new provider": the button and the modal it opens; focus returns to the button on close. */
export function AddProviderDialog({
  runner,
  triggerRef,
}: {
  runner: Runner;
  triggerRef?: Ref<HTMLButtonElement>;
}) {
  return (
    <IntegrationDialogTrigger
      runner={runner}
      variant="primary"
      triggerRef={triggerRef}
      title={ADD_PROVIDER_TITLE}
      description="Give this runner access to your repositories through an OAuth app, so developers can connect their accounts."
    >
      {ADD_PROVIDER_TITLE}
    </IntegrationDialogTrigger>
  );
}

/** The row's "Edit" button and the same modal, filled with the integration (secret left empty). */
export function EditIntegrationDialog({
  runner,
  integration,
}: {
  runner: Runner;
  integration: ScmIntegration;
}) {
  const name = integrationName(integration);
  const { title, description } = editIntegrationDialogText(integration);
  return (
    <IntegrationDialogTrigger
      runner={runner}
      integration={integration}
      title={title}
      description={description}
    >
      Edit<span className="visually-hidden"> {name}</span>
    </IntegrationDialogTrigger>
  );
}

/**
 * The button, with what DialogTrigger would give it (aria-haspopup, aria-expanded,
 * aria-controls, data-state), and the modal once its code is there. A click before that shows the
 * button as busy until it arrives; if it cannot be fetched, a toast says so.
 */
function IntegrationDialogTrigger({
  runner,
  integration,
  title,
  description,
  variant,
  triggerRef,
  children,
}: {
  runner: Runner;
  integration?: ScmIntegration;
  title: string;
  description: string;
  variant?: ButtonVariant;
  triggerRef?: Ref<HTMLButtonElement> | undefined;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [wanted, setWanted] = useState(false);
  const dialog = useOnDemandModule(integrationDialog, wanted);
  const contentId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const setButtonRef = useCallback(
    (button: HTMLButtonElement | null) => {
      buttonRef.current = button;
      if (typeof triggerRef === 'function') triggerRef(button);
      else if (triggerRef) triggerRef.current = button;
    },
    [triggerRef],
  );
  const toast = useToast();
  usePreloadWhenIdle(integrationDialog);

  const ready = dialog.status === 'ready';
  const failed = dialog.status === 'failed';
  // Open once the code is there: at once when it was preloaded.
  useEffect(() => {
    if (wanted && ready) {
      setWanted(false);
      setOpen(true);
    }
  }, [wanted, ready]);
  useEffect(() => {
    if (!failed) return;
    setWanted(false);
    toast({
      title: 'The dialog could not be opened',
      description: 'Check your connection and try again.',
      tone: 'error',
    });
  }, [failed, toast]);

  return (
    <>
      <Button
        ref={setButtonRef}
        variant={variant}
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={open ? contentId : undefined}
        data-state={open ? 'open' : 'closed'}
        pending={wanted}
        onPointerEnter={integrationDialog.preload}
        onFocus={integrationDialog.preload}
        onClick={() => {
          if (integrationDialog.current) setOpen(true);
          else setWanted(true);
        }}
      >
        {children}
      </Button>
      {ready ? (
        <dialog.module.IntegrationDialog
          runner={runner}
          integration={integration}
          title={title}
          description={description}
          open={open}
          onOpenChange={setOpen}
          contentId={contentId}
          triggerRef={buttonRef}
        />
      ) : null}
    </>
  );
}
