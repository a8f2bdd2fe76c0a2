import type { RunnerConfigurationSchema } from '@runner-console/contracts';
import { useId } from 'react';
import type { ChangeEventHandler, FocusEventHandler, Ref } from 'react';
import { ProviderIcon } from './provider-icon.tsx';

/**
 * The providers as a radio group (arrow keys move between the available ones). Providers Runner
 * Console cannot connect to yet stay visible, disabled, and say so.
 */
export function ProviderPicker({
  providers,
  addedProviderIds,
  error,
  name,
  onChange,
  onBlur,
  ref,
}: {
  providers: RunnerConfigurationSchema['providers'];
  /** Providers this runner already has: picking one offers to edit it instead (see IntegrationForm). */
  addedProviderIds?: ReadonlySet<string>;
  error?: string | undefined;
  name: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  onBlur: FocusEventHandler<HTMLInputElement>;
  ref: Ref<HTMLInputElement>;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <fieldset className="provider-picker" aria-describedby={error ? errorId : undefined}>
      <legend className="field__label">Provider</legend>
      <div className="provider-picker__options">
        {providers.map((provider) => (
          <label
            key={provider.id}
            className={
              provider.supported
                ? 'provider-option'
                : 'provider-option provider-option--unavailable'
            }
          >
            <input
              type="radio"
              className="provider-option__input"
              value={provider.id}
              disabled={!provider.supported}
              name={name}
              onChange={onChange}
              onBlur={onBlur}
              ref={ref}
            />
            <ProviderIcon providerId={provider.id} />
            <span className="provider-option__name">{provider.name}</span>
            {!provider.supported ? (
              <span className="provider-option__note">Not available yet</span>
            ) : addedProviderIds?.has(provider.id) ? (
              <span className="provider-option__note">Already added</span>
            ) : null}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
