import type { ProviderConfigurationSchema } from '@runner-console/contracts';
import { withIndefiniteArticle } from '@runner-console/scm-providers';
import { useId } from 'react';

type ApiTokenSettings = NonNullable<ProviderConfigurationSchema['apiTokens']>;

/**
 * Beside "Enable personal access tokens": the scopes a developer's token needs and why, and where
 * tokens are made (the provider's catalogue entry: its token page, guide and scopes).
 */
export function ApiTokenScopesHelp({ providerName, apiTokens }: { providerName: string; apiTokens: ApiTokenSettings }) {
  const listId = useId();
  return (
    <div className="pat-help">
      <p id={listId}>
        Developers may paste a {providerName} {apiTokens.label} instead of clicking Connect. Their
        token needs these scopes:
      </p>
      <ul className="consumer-help__scopes" aria-labelledby={listId}>
        {apiTokens.requiredScopes.map((scope) => (
          <li key={scope.scope}>
            <code>{scope.scope}</code> ({scope.checkbox}): {scope.reason}
          </li>
        ))}
      </ul>
      <p>
        Tokens last at most {apiTokens.maxLifetimeDays} days.{' '}
        <a href={apiTokens.createUrl} target="_blank" rel="noopener noreferrer">
          {apiTokens.createPageLabel}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>{' '}
        ·{' '}
        <a href={apiTokens.docsUrl} target="_blank" rel="noopener noreferrer">
          How to create {withIndefiniteArticle(apiTokens.label)}
          <span className="visually-hidden"> (opens in a new tab)</span>
        </a>
      </p>
    </div>
  );
}
