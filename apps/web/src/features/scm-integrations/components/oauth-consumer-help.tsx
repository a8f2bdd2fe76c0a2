import type { ProviderConfigurationSchema } from '@runner-console/contracts';
import { useId } from 'react';

/**
 * The steps on the provider's side, next to the form. For Bitbucket they follow its OAuth
 * consumer form: https://support.atlassian.com/bitbucket-cloud/docs/use-oauth-on-bitbucket-cloud/
 */
export function OAuthConsumerHelp({ provider }: { provider: ProviderConfigurationSchema }) {
  const headingId = useId();
  const keyLabel = provider.clientIdLabel ?? 'Client ID';
  const secretLabel = provider.clientSecretLabel ?? 'Client Secret';

  return (
    <aside className="consumer-help" aria-labelledby={headingId}>
      <h3 id={headingId}>Step-by-step help</h3>
      <ol className="consumer-help__steps">
        <li>
          Here, turn on <strong>Enable OAuth</strong>: the form then shows this runner&rsquo;s{' '}
          <strong>Callback URL</strong>.
        </li>
        <li>
          In {provider.name}, open your <strong>workspace settings</strong> ›{' '}
          <strong>OAuth consumers</strong> and choose <strong>Add consumer</strong>.
          {provider.docsUrl ? (
            <>
              {' '}
              <a href={provider.docsUrl} target="_blank" rel="noopener noreferrer">
                {provider.name} documentation on OAuth consumers
                <span className="visually-hidden"> (opens in a new tab)</span>
              </a>
            </>
          ) : null}
        </li>
        <li>
          Give it a name your team recognises, and paste the <strong>Callback URL</strong> from this
          form into its <strong>Callback URL</strong> field.
        </li>
        <li>
          Under <strong>Permissions</strong>, tick exactly these checkboxes:
          <ul className="consumer-help__scopes">
            {provider.requiredScopes.map((scope) => (
              <li key={scope.scope}>
                <strong>{scope.checkbox}</strong> (<code>{scope.scope}</code>): {scope.reason}
              </li>
            ))}
          </ul>
        </li>
        <li>
          Leave <strong>This is a private consumer</strong> unticked: Runner Console does not need
          it.
        </li>
        <li>
          Click <strong>Save</strong>. Open the new consumer, then copy its{' '}
          <strong>{keyLabel}</strong> into <strong>Client ID</strong> and its{' '}
          <strong>{secretLabel}</strong> into <strong>Client Secret</strong> here.
        </li>
      </ol>
      <p className="consumer-help__note">
        The secret is encrypted in this browser to the runner&rsquo;s key. Only the runner can read
        it; Runner Console stores the ciphertext.
      </p>
    </aside>
  );
}
