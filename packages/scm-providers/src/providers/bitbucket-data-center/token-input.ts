import type { TokenInputCheck, TokenInputRules } from '../../provider-module.ts';

// Atlassian account API tokens (Bitbucket Cloud, Jira Cloud) start with ATATT; Bitbucket Cloud app
// passwords with ATBB. Neither works on a Data Center server.
const CLOUD_TOKEN = /^(ATATT|ATBB)[A-Za-z0-9_=-]{10,}$/;

/**
 * Bitbucket Data Center's HTTP access tokens: Bearer for REST, the account's user name (or
 * x-token-auth) with the token for git. The REST API does not report a token's expiry, so the form
 * asks for it; no e-mail is needed.
 * https://confluence.atlassian.com/bitbucketserver/http-access-tokens-939515499.html
 */
export const bitbucketDataCenterTokenInput: TokenInputRules = {
  needsEmail: false,
  needsExpiry: true,
  read(input): TokenInputCheck {
    const token = input.token.replace(/\s+/g, '');
    if (token === '') return { ok: false, field: 'token', code: 'token_missing', message: 'Paste the HTTP access token.' };
    if (CLOUD_TOKEN.test(token)) {
      return {
        ok: false,
        field: 'token',
        code: 'token_malformed',
        message: 'This is a Bitbucket Cloud (Atlassian account) token, which a Data Center server does not take. Create an HTTP access token on your Bitbucket Data Center (Manage account › HTTP access tokens) and paste it here.',
      };
    }
    if (token.length < 20 || token.length > 1024 || !/^[\x21-\x7e]+$/.test(token)) {
      return { ok: false, field: 'token', code: 'token_malformed', message: 'That is not a Bitbucket Data Center HTTP access token. Copy the token again: it is shown once, right after you create it.' };
    }
    return { ok: true, token, email: null };
  },
};
