import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Runner, ScmIntegration } from '@runner-console/contracts';
import { getScmProvider } from '@runner-console/scm-providers';
import { useEffect, useId, useRef, useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { scmIntegrationQueries } from '../api/scm-integration-queries.ts';
import { useDeleteScmIntegration } from '../api/use-scm-integration-mutations.ts';
import { useScmIntegrationLiveUpdates } from '../api/use-scm-integration-live-updates.ts';
import { AuditLog } from './audit-log.tsx';
import { AddProviderDialog } from './integration-dialog.tsx';
import { IntegrationsTable } from './integrations-table.tsx';
import { integrationName } from './provider-icon.tsx';
import '../../../styles/scm-integrations.css';

/**
 * The runner page's "Configure repository access" section: the runner's SCM integrations, and
 * for admins adding, validating, editing and deleting them, with the audit log below.
 */
export function RepositoryAccess({ runner, canManage }: { runner: Runner; canManage: boolean }) {
  useScmIntegrationLiveUpdates(runner.id, canManage);
  const list = useQuery(scmIntegrationQueries.list(runner.id));
  const queryClient = useQueryClient();
  // The modal needs the providers and the runner's key: have them ready before it opens, so it
  // opens on the form rather than on a loading message.
  useEffect(() => {
    if (canManage)
      void queryClient.prefetchQuery(scmIntegrationQueries.configurationSchema(runner.id));
  }, [canManage, queryClient, runner.id]);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const auditHeadingId = useId();
  // Kept after closing, so the dialog can close (and hand focus back) before it unmounts.
  const [deleting, setDeleting] = useState<{
    integration: ScmIntegration;
    trigger: HTMLElement;
    open: boolean;
  } | null>(null);

  let content;
  if (list.data) {
    content =
      list.data.integrations.length === 0 ? (
        <EmptyState title="No repository access configured yet.">
          {canManage ? (
            <p>Add a provider so that developers can open its repositories on this runner.</p>
          ) : (
            <p>Ask an organization admin to add a provider.</p>
          )}
        </EmptyState>
      ) : (
        <IntegrationsTable
          runner={runner}
          integrations={list.data.integrations}
          canManage={canManage}
          onDelete={(integration, trigger) => setDeleting({ integration, trigger, open: true })}
        />
      );
  } else {
    content = (
      <QueryState
        query={list}
        loading="Loading repository access…"
        errorTitle="Repository access could not be loaded"
      />
    );
  }

  return (
    <div className="repository-access">
      <div className="repository-access__intro">
        <p className="muted">
          The providers this runner reads repositories from. Developers connect their own accounts
          through each provider&rsquo;s OAuth app.
        </p>
        {canManage ? <AddProviderDialog runner={runner} triggerRef={addButtonRef} /> : null}
      </div>
      {content}
      {canManage && deleting ? (
        <DeleteIntegrationDialog
          // A fresh dialog (and mutation state) for each integration.
          key={deleting.integration.id}
          runner={runner}
          integration={deleting.integration}
          open={deleting.open}
          onClose={() => setDeleting((current) => current && { ...current, open: false })}
          returnFocus={() => {
            // The row (and its Delete button) is gone after a delete: go on from "Add".
            const target = deleting.trigger.isConnected ? deleting.trigger : addButtonRef.current;
            target?.focus();
          }}
        />
      ) : null}
      {canManage ? (
        <section className="audit-log-section" aria-labelledby={auditHeadingId}>
          <h3 id={auditHeadingId}>Audit log</h3>
          <AuditLog runnerId={runner.id} headingId={auditHeadingId} />
        </section>
      ) : null}
    </div>
  );
}

function DeleteIntegrationDialog({
  runner,
  integration,
  open,
  onClose,
  returnFocus,
}: {
  runner: Runner;
  integration: ScmIntegration;
  open: boolean;
  onClose: () => void;
  returnFocus: () => void;
}) {
  const remove = useDeleteScmIntegration(runner.id);
  const toast = useToast();
  const providerName = getScmProvider(integration.provider).name;

  return (
    <ConfirmDialog
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title={`Delete ${providerName} integration?`}
      confirmLabel="Delete"
      pending={remove.isPending}
      error={remove.error?.message}
      onConfirm={() =>
        remove.mutate(integration.id, {
          onSuccess: () => {
            toast({
              title: `${integrationName(integration)} deleted from ${runner.name}.`,
              tone: 'success',
            });
            onClose();
          },
        })
      }
      returnFocus={returnFocus}
    >
      <p>
        {runner.name} stops using {integrationName(integration)}. Every developer who connected
        through this OAuth app must connect again. Their tokens are deleted from the runner.
      </p>
    </ConfirmDialog>
  );
}
