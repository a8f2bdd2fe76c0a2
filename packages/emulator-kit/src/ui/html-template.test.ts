import { describe, expect, it } from 'vitest';
import { html } from './html-template.ts';

// An alias keeps Prettier from reformatting the markup these tests compare exactly.
const template = html;

describe('html', () => {
  it('escapes interpolated text, including attribute quotes', () => {
    const name = `"><script>alert('x')</script>`;
    expect(template`<input value="${name}">`.value).toBe(
      '<input value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;">',
    );
  });

  it('keeps nested templates, joins arrays and drops empty values', () => {
    const items = ['a&b', 'c'].map((item) => template`<li>${item}</li>`);
    expect(template`<ul>${items}</ul>${false}${null}${undefined}${0}`.value).toBe(
      '<ul><li>a&amp;b</li><li>c</li></ul>0',
    );
  });
});
