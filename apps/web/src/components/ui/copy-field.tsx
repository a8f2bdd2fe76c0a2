import { useEffect, useId, useRef, useState } from 'react';
import { Button } from './button.tsx';

type CopyState = 'idle' | 'copied' | 'manual';

/**
 * A read-only value with a Copy button. When the clipboard API is missing (plain http on a
 * non-local host) or refuses, the text is selected and the person is told how to copy it.
 */
export function CopyField({
  label,
  value,
  multiline = false,
}: {
  label: string;
  value: string;
  /** A textarea that wraps, for long values such as a shell command. */
  multiline?: boolean;
}) {
  const id = useId();
  const statusId = `${id}-status`;
  const fieldRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText)
        throw new Error('The clipboard API is not available here.');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      fieldRef.current?.focus();
      fieldRef.current?.select();
      setState('manual');
    }
  }

  const fieldProps = {
    id,
    ref: fieldRef,
    value,
    readOnly: true,
    spellCheck: false,
    autoComplete: 'off',
    className: 'input input--mono',
    'aria-describedby': statusId,
  };

  return (
    <div className="copy-field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field__row">
        {multiline ? <textarea {...fieldProps} rows={3} /> : <input {...fieldProps} type="text" />}
        <Button onClick={() => void copy()}>
          Copy<span className="visually-hidden"> {label.toLowerCase()}</span>
        </Button>
      </div>
      {/* The button's name stays "Copy": the outcome is announced here instead. */}
      <p className={`copy-field__status copy-field__status--${state}`} id={statusId} role="status">
        {state === 'copied' ? 'Copied' : state === 'manual' ? 'Press Ctrl+C (⌘C) to copy' : ''}
      </p>
    </div>
  );
}
