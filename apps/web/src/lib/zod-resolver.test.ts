import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { zodResolver } from './zod-resolver.ts';

const schema = z.object({
  name: z.string().check(z.minLength(1, 'Enter a name.'), z.maxLength(3, 'At most 3 characters.')),
  url: z.pipe(z.string(), z.transform((s) => s.trim())),
});
const options = (fields = {}) => ({ fields, shouldUseNativeValidation: false, names: [] });

describe('zodResolver', () => {
  it('answers the parsed values when the schema accepts them', async () => {
    await expect(zodResolver(schema)({ name: 'ab', url: ' x ' }, undefined, options())).resolves.toEqual({
      values: { name: 'ab', url: 'x' },
      errors: {},
    });
  });

  it('answers the first issue of each field, with its type and the field element', async () => {
    const ref = { name: 'name' };
    const result = await zodResolver(schema)({ name: '', url: 1 } as never, undefined, options({ name: { _f: { ref, name: 'name' }, ref } }));
    expect(result.values).toEqual({});
    expect(result.errors).toEqual({
      name: { type: 'too_small', message: 'Enter a name.', ref },
      url: { type: 'invalid_type', message: expect.any(String), ref: undefined },
    });
  });
});
