import type { ConsoleApiToken } from '@runner-console/contracts';
import { useState } from 'react';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { useToast } from '../../../components/ui/toast.tsx';
import { formatDate, formatDateTime } from '../../../lib/format-time.ts';
import { useNow } from '../../../lib/use-now.ts';
import { useRevokeApiToken } from '../api/use-api-token-mutations.ts';
// .cell-secondary (the second line of a cell) lives with the other tables' styles.
import '../../../styles/connect.css';

export function ApiTokensTable({ tokens }: { tokens: ConsoleApiToken[] }) {
  const now = useNow();
  return (
    <div className="table-wrap">
      <table className="table table--stack">
        <caption className="visually-hidden">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => {
            const expired = Date.parse(token.expiresAt) <= now;
            return (
              <tr key={token.id}>
                <th scope="row" className="table__name">
                  {token.name}
                </th>
                <td data-label="Created">
                  <RelativeTime iso={token.createdAt} />
                  <span className="cell-secondary">by {token.createdBy.email}</span>
                </td>
                <td data-label="Expires">
                  <time dateTime={token.expiresAt} title={formatDateTime(token.expiresAt)}>
                    {formatDate(token.expiresAt)}
                  </time>
                </td>
                <td data-label="Last used">{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : 'Never'}</td>
                <td data-label="Status">
                  {token.revokedAt ? (
                    <StatusBadge tone="neutral">Revoked</StatusBadge>
                  ) : expired ? (
                    <StatusBadge tone="warning">Expired</StatusBadge>
                  ) : (
                    <StatusBadge tone="success">Active</StatusBadge>
                  )}
                </td>
                <td className="table__actions">{token.revokedAt ? null : <RevokeButton token={token} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RevokeButton({ token }: { token: ConsoleApiToken }) {
  const [open, setOpen] = useState(false);
  const revoke = useRevokeApiToken();
  const toast = useToast();
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Revoke<span className="visually-hidden"> {token.name}</span>
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) revoke.reset();
        }}
        title={`Revoke “${token.name}”?`}
        confirmLabel="Revoke"
        pending={revoke.isPending}
        error={revoke.error?.message}
        onConfirm={() =>
          revoke.mutate(token, {
            onSuccess: () => {
              setOpen(false);
              toast({ title: 'API token revoked', description: `“${token.name}” no longer works.`, tone: 'success' });
            },
          })
        }
      >
        <p>Anything that uses this token gets “401 Unauthorized” from its next call. This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
