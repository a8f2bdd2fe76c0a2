import { useState } from 'react';
import type { ComponentProps, ReactNode } from 'react';
import { Button } from './button.tsx';
import { FieldFrame } from './text-field.tsx';

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
  const [visible, setVisible] = useState(false);

  return (
    <FieldFrame label={label} hint={hint} error={error} id={id} className={className}>
      {(control) => (
        <div className="password-field__row">
          <input
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            {...inputProps}
            {...control}
            type={visible ? 'text' : 'password'}
            className="input input--mono"
          />
          <Button aria-controls={control.id} onClick={() => setVisible((current) => !current)}>
            {visible ? hideLabel : showLabel}
          </Button>
        </div>
      )}
    </FieldFrame>
  );
}
