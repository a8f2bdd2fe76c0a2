import { useId } from 'react';
import type { ReactNode, Ref } from 'react';

/**
 * A labelled on/off switch: a button with role="switch" and aria-checked (the markup Radix Switch
 * rendered, without its 4 KB gzip). Written here rather than taken from a kit because of the
 * runner page's JS budget (bench/README.md): the WAI-ARIA switch on a native button needs no more. Space and Enter toggle it, as they click any button; the label
 * is clickable; the description is read with it. With a `name`, a checked switch submits "on" like
 * a checkbox.
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
  const state = checked ? 'checked' : 'unchecked';
  return (
    <div className="switch-field">
      <div className="switch-field__row">
        <button
          type="button"
          role="switch"
          id={id}
          ref={ref}
          className="switch"
          aria-checked={checked}
          data-state={state}
          data-disabled={disabled ? '' : undefined}
          disabled={disabled}
          onClick={() => onCheckedChange(!checked)}
          onBlur={onBlur}
          aria-describedby={description ? descriptionId : undefined}
        >
          <span className="switch__thumb" data-state={state} data-disabled={disabled ? '' : undefined} />
        </button>
        {name && checked ? <input type="hidden" name={name} value="on" /> : null}
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
