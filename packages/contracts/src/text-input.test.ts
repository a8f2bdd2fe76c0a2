import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { hasForbiddenTextCharacters, noForbiddenCharacters, showForbiddenCharacters } from './text-input.ts';

describe('the text input rule', () => {
  it.each(['\u0000', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009f', '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'refuses %j',
    (c) => {
      expect(hasForbiddenTextCharacters(`a${c}b`)).toBe(true);
      expect(z.string().check(noForbiddenCharacters).safeParse(`a${c}b`).success).toBe(false);
    },
  );

  it('keeps ordinary text, accents, emoji and right-to-left scripts', () => {
    for (const ok of ['Build runner (eu-west)', 'Zoë’s runner', 'ビルド', 'עברית runner', '🚀 fast', 'a\u200db']) {
      expect(hasForbiddenTextCharacters(ok)).toBe(false);
    }
  });

  it('shows a stored value that breaks it with visible escapes', () => {
    expect(showForbiddenCharacters('a\u0000\u202e<script>')).toBe('a\\u{0000}\\u{202E}<script>');
    expect(showForbiddenCharacters('plain')).toBe('plain');
  });
});
