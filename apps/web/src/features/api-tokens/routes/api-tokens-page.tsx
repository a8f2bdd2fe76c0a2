import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { QueryState } from '../../../components/ui/query-state.tsx';
import { useDocumentTitle } from '../../../lib/use-document-title.ts';
import { apiTokenQueries } from '../api/api-token-queries.ts';
import { ApiTokensTable } from '../components/api-tokens-table.tsx';
import {
  CreateApiTokenButton,
  CreateApiTokenDialog,
} from '../components/create-api-token-dialog.tsx';

/** Settings › API tokens (admins): tokens for automation, which act with their creator's role. */
export function ApiTokensPage() {
  useDocumentTitle('API tokens');
  const query = useQuery(apiTokenQueries.list());
  const tokens = query.data?.tokens;
  return (
    <CreateApiTokenDialog>
      <div className="page">
        <header className="page-header">
          <div>
            <p className="page-header__eyebrow">Settings</p>
            <h1>API tokens</h1>
            <p className="page-header__lead">
              Tokens let automation such as CI or Terraform call the <a href="/api/docs">API</a>{' '}
              with <code>Authorization: Bearer</code>. A token acts with the current role of the
              admin who made it, and stops working if they are removed.
            </p>
          </div>
          {tokens && tokens.length > 0 ? <CreateApiTokenButton /> : null}
        </header>
        <QueryState
          query={query}
          loading="Loading API tokens…"
          errorTitle="API tokens could not be loaded"
        />
        {tokens && tokens.length === 0 ? (
          <EmptyState title="No API tokens yet" action={<CreateApiTokenButton />}>
            <p>Create one for each pipeline or tool, so you can revoke it alone.</p>
          </EmptyState>
        ) : null}
        {tokens && tokens.length > 0 ? <ApiTokensTable tokens={tokens} /> : null}
      </div>
    </CreateApiTokenDialog>
  );
}
