import * as RadixSwitch from '@radix-ui/react-switch';
import { useId } from 'react';
import type { ReactNode, Ref } from 'react';

/**
 * A labelled on/off switch (Radix: a button with role="switch" and aria-checked). Space and Enter
 * toggle it; the label is clickable; the description is read with it.
 */
export function Switch({
  label,
  description,
  checked,
  onCheckedChange,
  onBlur,
  disabled,
  name,
  ref,
}: {
  label: string;
  description?: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  onBlur?: () => void;
  disabled?: boolean;
  name?: string;
  ref?: Ref<HTMLButtonElement>;
}) {
  const id = useId();
  const descriptionId = `${id}-description`;
  return (
    <div className="switch-field">
      <div className="switch-field__row">
        <RadixSwitch.Root
          id={id}
          ref={ref}
          name={name}
          className="switch"
          checked={checked}
          onCheckedChange={onCheckedChange}
          onBlur={onBlur}
          disabled={disabled}
          aria-describedby={description ? descriptionId : undefined}
        >
          <RadixSwitch.Thumb className="switch__thumb" />
        </RadixSwitch.Root>
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
      </div>
      {description ? (
        <div className="field__hint" id={descriptionId}>
          {description}
        </div>
      ) : null}
    </div>
  );
}
