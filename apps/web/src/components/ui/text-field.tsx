import { useId } from 'react';
import type { ComponentProps, ReactNode } from 'react';

interface FieldFrameProps {
  label: string;
  hint?: ReactNode;
  /** Shown under the field and linked to it with aria-describedby. */
  error?: string | undefined;
  id?: string | undefined;
  className?: string | undefined;
  /** The control, given its id and the ARIA attributes that tie it to the hint and the error. */
  children: (control: { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined }) => ReactNode;
}

/** Label, hint, control and error of one form field, with the ids that link them. */
export function FieldFrame({ label, hint, error, id, className, children }: FieldFrameProps) {
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ');

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
      {children({ id: inputId, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy || undefined })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type TextFieldProps = ComponentProps<'input'> & {
  label: string;
  hint?: ReactNode;
  /** Shown under the field and linked to it with aria-describedby. */
  error?: string | undefined;
};

export function TextField({ label, hint, error, id, className, ...inputProps }: TextFieldProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error} id={id} className={className}>
      {(control) => <input {...inputProps} {...control} className="input" />}
    </FieldFrame>
  );
}
