import { get, set } from 'react-hook-form';
import type { FieldError, FieldErrors, FieldValues, Resolver } from 'react-hook-form';
import type * as z from 'zod/mini';

/**
 * react-hook-form's resolver for a zod/mini schema: what `@hookform/resolvers/zod` does for the
 * dashboard's forms (flat fields; the first issue per field; no native validation, no
 * criteriaMode 'all'), without its zod 3 support and helpers (about 1.3 KB gzip on every page
 * with a form). Each error carries its field's element as `ref`, as there.
 */
export function zodResolver<S extends z.ZodMiniType<FieldValues, FieldValues>>(
  schema: S,
): Resolver<z.input<S>, unknown, z.output<S>> {
  return async (values, _context, options) => {
    const result = await schema.safeParseAsync(values);
    if (result.success) return { values: result.data, errors: {} };
    const byPath: Record<string, FieldError> = {};
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      if (byPath[path]) continue;
      const field = get(options.fields, path) as
        | { ref?: FieldError['ref']; refs?: FieldError['ref'][] }
        | undefined;
      byPath[path] = { type: issue.code, message: issue.message, ref: field?.refs ? field.refs[0] : field?.ref };
    }
    const errors: FieldErrors<z.input<S>> = {};
    for (const [path, error] of Object.entries(byPath)) set(errors, path, error);
    return { values: {}, errors };
  };
}
