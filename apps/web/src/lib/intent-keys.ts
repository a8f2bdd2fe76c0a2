import { useRef } from 'react';

/**
 * One Idempotency-Key per user intent. The same input from the same form (a double click, a retry
 * after a lost answer) gets the same key, so the BFF answers the repeat with the first result; other
 * input, or a form opened again (`forget`), is a new intent with a new key.
 */
export function createIntentKeys(newKey: () => string = () => crypto.randomUUID()) {
  const keys = new Map<string, string>();
  return {
    keyFor(input: unknown): string {
      const id = JSON.stringify(input ?? null);
      let key = keys.get(id);
      if (!key) {
        key = newKey();
        keys.set(id, key);
      }
      return key;
    },
    forget(): void {
      keys.clear();
    },
  };
}
export type IntentKeys = ReturnType<typeof createIntentKeys>;

/** Intent keys that live as long as the component. */
export function useIntentKeys(): IntentKeys {
  const ref = useRef<IntentKeys | null>(null);
  ref.current ??= createIntentKeys();
  return ref.current;
}
