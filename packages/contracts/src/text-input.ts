import * as z from 'zod/mini';

/**
 * The one rule for text that people and programs send: no field takes C0 or C1 control characters
 * (NUL, tab, newline, escape, …), DEL, or the bidirectional embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which make text show as something it is not: `a\u202e<script>`
 * reads as "a<tpircs>". Values where whitespace cannot matter (ids, keys, secrets, URLs, hosts) are
 * also trimmed, so a pasted value with a space or newline around it works.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
export const forbiddenTextCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export const forbiddenTextMessage =
  'Remove the control or text-direction characters (they can make text show as something else).';

export function hasForbiddenTextCharacters(value: string): boolean {
  return forbiddenTextCharacters.test(value);
}

/** The check itself, for string schemas: `z.string().check(z.trim(), noForbiddenCharacters, …)`. */
export const noForbiddenCharacters = z.refine<string>((value) => !forbiddenTextCharacters.test(value), {
  error: forbiddenTextMessage,
});

/**
 * How a stored value that breaks the rule (written before it existed) is shown: each forbidden
 * character as a visible `\u{…}` escape, so a name cannot disguise itself on screen.
 */
export function showForbiddenCharacters(value: string): string {
  return value.replace(new RegExp(forbiddenTextCharacters.source, 'g'), (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}
