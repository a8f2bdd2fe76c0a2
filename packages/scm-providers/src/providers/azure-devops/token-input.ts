import type { TokenInputCheck, TokenInputRules } from '../../provider-module.ts';

// Azure DevOps personal access tokens: 52 characters of lower-case base32 (made before 2024), or
// 84 characters of letters and digits with the `AZDO` signature at characters 77–80 (the newer
// format): https://devblogs.microsoft.com/devops/new-pat-format/ and
// https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate
const CLASSIC = /^[a-z2-7]{52}$/;
const NEW_FORMAT = /^[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}$/;
const JWT = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * A PAT cannot read its own expiry (the PAT Lifecycle API takes Entra tokens only), so the form
 * asks for the date the developer chose; no e-mail, since REST takes Basic with an empty user name.
 */
export const azureDevopsTokenInput: TokenInputRules = {
  needsEmail: false,
  needsExpiry: true,
  read(input): TokenInputCheck {
    const token = input.token.replace(/\s+/g, '');
    if (token === '') return { ok: false, field: 'token', code: 'token_missing', message: 'Paste the personal access token.' };
    if (JWT.test(token)) {
      return { ok: false, field: 'token', code: 'token_malformed', message: 'This is a Microsoft Entra access token, which expires within the hour. Create a personal access token in Azure DevOps (User settings › Personal access tokens) and paste it here.' };
    }
    if (!CLASSIC.test(token) && !NEW_FORMAT.test(token)) {
      return {
        ok: false,
        field: 'token',
        code: 'token_malformed',
        message: 'That is not an Azure DevOps personal access token: they are 52 or 84 letters and digits. Copy the token again: it is shown once, right after you create it.',
      };
    }
    return { ok: true, token, email: null };
  },
};
