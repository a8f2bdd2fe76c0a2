import { describe, expect, it } from 'vitest';
import { createIntentKeys } from './intent-keys.ts';

describe('createIntentKeys', () => {
  it('gives the same input the same key, other input another, and a new key after forget', () => {
    const keys = createIntentKeys();
    const first = keys.keyFor({ name: 'Build', publicUrl: 'https://r.example' });
    expect(keys.keyFor({ name: 'Build', publicUrl: 'https://r.example' })).toBe(first);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys.keyFor({ name: 'Build 2', publicUrl: 'https://r.example' })).not.toBe(first);
    keys.forget();
    expect(keys.keyFor({ name: 'Build', publicUrl: 'https://r.example' })).not.toBe(first);
  });
});
