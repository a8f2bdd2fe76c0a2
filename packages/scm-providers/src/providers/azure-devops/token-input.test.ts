import { describe, expect, it } from 'vitest';
import { azureDevopsTokenInput } from './token-input.ts';

describe('Azure DevOps personal access tokens as pasted', () => {
  it('takes the 52-character and the 84-character forms, and refuses an Entra access token', () => {
    expect(azureDevopsTokenInput.read({ token: ` ${'a'.repeat(52)} ` })).toEqual({ ok: true, token: 'a'.repeat(52), email: null });
    expect(azureDevopsTokenInput.read({ token: `${'A1'.repeat(38)}AZDO1234` }).ok).toBe(true);
    expect(azureDevopsTokenInput.read({ token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' })).toMatchObject({ ok: false, message: expect.stringMatching(/Entra access token/) });
    expect(azureDevopsTokenInput.read({ token: 'ghp_short' })).toMatchObject({ ok: false, code: 'token_malformed' });
    expect(azureDevopsTokenInput.needsExpiry).toBe(true);
  });
});
