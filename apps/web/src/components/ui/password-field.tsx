import { useId, useState } from 'react';
import type { ComponentProps, ReactNode } from 'react';
import { Button } from './button.tsx';

type PasswordFieldProps = Omit<ComponentProps<'input'>, 'type'> & {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** The toggle's names, e.g. "Show secret" / "Hide secret". */
  showLabel?: string;
  hideLabel?: string;
};

/**
 * A password input with a show/hide toggle. The value is masked by default; the toggle is a real
 * button after the field, so the keyboard reaches it and a screen reader hears what it does.
 */
export function PasswordField({
  label,
  hint,
  error,
  id,
  className,
  showLabel = 'Show',
  hideLabel = 'Hide',
  ...inputProps
}: PasswordFieldProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');
  const [visible, setVisible] = useState(false);

  return (
    <div className={['field', className].filter(Boolean).join(' ')}>
      <label className="field__label" htmlFor={inputId}>
        {label}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      <div className="password-field__row">
        <input
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          {...inputProps}
          id={inputId}
          type={visible ? 'text' : 'password'}
          className="input input--mono"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
        />
        <Button aria-controls={inputId} onClick={() => setVisible((current) => !current)}>
          {visible ? hideLabel : showLabel}
        </Button>
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
