import type { TokenInputCheck, TokenInputRules } from '../../provider-module.ts';
import { bitbucketEntry } from './catalogue-entry.ts';

// Bitbucket app passwords were 20 letters and digits, and from 2023 began with `ATBB`.
const APP_PASSWORD = /^(ATBB[A-Za-z0-9]{20,}|[A-Za-z0-9]{20})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;

/**
 * Bitbucket API tokens go with the Atlassian account's e-mail (the REST API's Basic user name), and
 * Bitbucket does not say when they expire, so the form asks for both. An old app password gets its
 * own explanation instead of "invalid token".
 * https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/
 */
export const bitbucketTokenInput: TokenInputRules = {
  needsEmail: true,
  needsExpiry: true,
  read(input): TokenInputCheck {
    const provider = bitbucketEntry;
    const createUrl = provider.apiTokens?.createUrl ?? provider.docs.oauthConsumerUrl;
    const email = (input.email ?? '').trim();
    const token = input.token.replace(/\s+/g, '');
    if (!EMAIL.test(email)) {
      return { ok: false, field: 'email', code: 'email_invalid', message: `Enter the e-mail address of your Atlassian account (the one you sign in to ${provider.name} with).` };
    }
    if (token === '') return { ok: false, field: 'token', code: 'token_missing', message: 'Paste the API token.' };
    if (APP_PASSWORD.test(token)) {
      return {
        ok: false,
        field: 'token',
        code: 'app_password',
        message: `This looks like an app password. ${provider.name} no longer accepts app passwords: create an API token at ${createUrl} and paste it here.`,
      };
    }
    if (token.length > 1024 || !/^[\x21-\x7e]+$/.test(token)) {
      return { ok: false, field: 'token', code: 'token_malformed', message: `That is not a ${provider.name} API token. Copy the token again: it is shown once, right after you create it.` };
    }
    return { ok: true, token, email };
  },
};
