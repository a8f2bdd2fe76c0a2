import type { ProviderConfigurationSchema } from '@runner-console/contracts';
import { useId, useState } from 'react';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { TextField } from '../../../components/ui/text-field.tsx';

type ClientKind = NonNullable<ProviderConfigurationSchema['clientKinds']>[number];

/** A GitHub App's URL name, as GitHub derives it from the app's name (lower case, dashes). */
function slugOf(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\/[^/]+\/apps\//, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
}

/** The provider's site for links: the host the admin typed, when it looks like one. */
function siteOf(host: string, fallback: string): string {
  const candidate = host.trim().toLowerCase();
  return /^[a-z0-9.-]+(:\d{1,5})?$/.test(candidate) && candidate.includes('.') ? `https://${candidate}` : `https://${fallback}`;
}

/**
 * For providers that describe their kinds of OAuth client (GitHub: OAuth App or GitHub App; one
 * kind elsewhere, with nothing to choose): the admin chooses one, and sees its steps, what to grant, where to register it and, for an app, its
 * install link. The choice only changes this help: both kinds connect the same way.
 */
function ClientKindHelp({ provider, kinds, host }: { provider: ProviderConfigurationSchema; kinds: readonly ClientKind[]; host: string }) {
  const headingId = useId();
  const name = useId();
  const [chosenId, setChosenId] = useState(kinds[0]?.id ?? '');
  const [appName, setAppName] = useState('');
  const kind = kinds.find((candidate) => candidate.id === chosenId) ?? kinds[0];
  if (!kind) return null;
  const site = siteOf(host, provider.defaultHost);
  const slug = slugOf(appName);
  const registerUrl = /^https:\/\//.test(kind.registerPath) ? kind.registerPath : `${site}${kind.registerPath}`;

  return (
    <aside className="consumer-help" aria-labelledby={headingId}>
      <h3 id={headingId}>Step-by-step help</h3>
      {kinds.length > 1 ? (
        <fieldset className="client-kind">
          <legend className="field__label">What will you register on {provider.name}?</legend>
          <div className="client-kind__options">
            {kinds.map((candidate) => (
              <label key={candidate.id} className="client-kind__option">
                <input type="radio" name={name} value={candidate.id} checked={candidate.id === kind.id} onChange={() => setChosenId(candidate.id)} />
                <span>
                  <strong>{candidate.label}</strong>
                  <span className="client-kind__summary">{candidate.summary}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      ) : (
        // One kind (a provider with a single kind of OAuth client): nothing to choose, only what it is.
        <p className="client-kind__summary">
          <strong>{kind.label}</strong>: {kind.summary}
        </p>
      )}
      <ol className="consumer-help__steps">
        <li>
          Here, turn on <strong>Enable OAuth</strong>: the form then shows this runner&rsquo;s <strong>Callback URL</strong>.
        </li>
        <li>
          <a href={registerUrl} target="_blank" rel="noopener noreferrer">
            Register a new {kind.label} on {new URL(registerUrl).host}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </li>
        {kind.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </ol>
      {kind.permissions ? (
        <>
          <p className="client-kind__heading">Permissions to set:</p>
          <ul className="consumer-help__scopes">
            {kind.permissions.map((permission) => (
              <li key={permission.name}>
                <strong>{permission.name}</strong>: {permission.access} ({permission.reason})
              </li>
            ))}
          </ul>
        </>
      ) : (
        <>
          <p className="client-kind__heading">Scopes developers grant when they connect:</p>
          <ul className="consumer-help__scopes">
            {provider.requiredScopes.map((scope) => (
              <li key={scope.scope}>
                <code>{scope.scope}</code>: {scope.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      {kind.installPath ? (
        <div className="client-kind__install">
          <TextField
            label="The app’s name, for its install link"
            value={appName}
            onChange={(event) => setAppName(event.target.value)}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            placeholder="Runner Console"
          />
          {slug ? (
            <CopyField label="Install link" value={`${site}${kind.installPath.replace('{slug}', encodeURIComponent(slug))}`} />
          ) : (
            <p className="consumer-help__note">Type the app&rsquo;s name to get the link that installs it.</p>
          )}
        </div>
      ) : null}
      <p className="consumer-help__note">
        The secret is encrypted in this browser to the runner&rsquo;s key. Only the runner can read it; Runner Console stores the ciphertext.
      </p>
    </aside>
  );
}

/**
 * The steps on the provider's side, next to the form, in the order of the provider's own form
 * (its catalogue entry: `docs.oauthConsumerUrl`, the scopes' checkboxes).
 */
export function OAuthConsumerHelp({ provider, host }: { provider: ProviderConfigurationSchema; host: string }) {
  const headingId = useId();
  if (provider.clientKinds && provider.clientKinds.length > 0) return <ClientKindHelp provider={provider} kinds={provider.clientKinds} host={host} />;
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
