import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
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

  // A multi-line value is shown whole, however its lines wrap at this width: no line cut in half,
  // nothing to scroll to inside the box.
  useLayoutEffect(() => {
    const field = fieldRef.current;
    if (!multiline || !field) return;
    let width = -1;
    const fit = () => {
      if (field.clientWidth === width) return;
      width = field.clientWidth;
      field.style.height = 'auto';
      field.style.height = `${field.scrollHeight + field.offsetHeight - field.clientHeight}px`;
    };
    fit();
    // Only a change of width re-wraps the lines; the height this sets does not call it again.
    const observer = new ResizeObserver(fit);
    observer.observe(field);
    return () => observer.disconnect();
  }, [multiline, value]);

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
        {multiline ? <textarea {...fieldProps} rows={value.split('\n').length} /> : <input {...fieldProps} type="text" />}
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
