import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { isApiRequestError } from '../../../lib/api-client.ts';

/** The BFF's field errors next to their fields; true when any was shown (else the form shows the message). */
export function applyFieldErrors<T extends FieldValues>(
  form: UseFormReturn<T>,
  error: unknown,
  names: readonly Path<T>[],
): boolean {
  if (!isApiRequestError(error)) return false;
  let shown = false;
  for (const name of names) {
    const message = error.fields[name];
    if (!message) continue;
    form.setError(name, { message });
    if (!shown) form.setFocus(name);
    shown = true;
  }
  return shown;
}
