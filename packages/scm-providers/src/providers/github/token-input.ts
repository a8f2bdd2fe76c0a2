import type { TokenInputCheck, TokenInputRules } from '../../provider-module.ts';

// Token shapes: https://github.blog/engineering/platform-security/behind-githubs-new-authentication-token-formats/
// ghp_ (classic personal access token), github_pat_ (fine-grained), gho_ (OAuth App user token),
// ghu_ (GitHub App user token); ghs_ (an app installation's token) and ghr_ (a refresh token)
// do not act as a person. Tokens made before April 2021 are 40 hex digits.
const CLASSIC = /^ghp_[A-Za-z0-9]{36}$/;
const FINE_GRAINED = /^github_pat_[A-Za-z0-9_]{22,255}$/;
const USER_TOKEN = /^gh[ou]_[A-Za-z0-9]{36,251}$/;
const LEGACY = /^[0-9a-f]{40}$/;
const NOT_A_PERSON = /^gh[sr]_/;

/**
 * GitHub tokens carry their kind in their prefix, and GitHub answers their expiry in a header,
 * so the form asks for the token alone.
 */
export const githubTokenInput: TokenInputRules = {
  needsEmail: false,
  needsExpiry: false,
  read(input): TokenInputCheck {
    const token = input.token.replace(/\s+/g, '');
    if (token === '') return { ok: false, field: 'token', code: 'token_missing', message: 'Paste the personal access token.' };
    if (NOT_A_PERSON.test(token)) {
      return {
        ok: false,
        field: 'token',
        code: 'token_malformed',
        message: token.startsWith('ghs_')
          ? 'This is a GitHub App installation token, which does not act as you. Create a personal access token and paste it here.'
          : 'This is a GitHub refresh token, not an access token. Create a personal access token and paste it here.',
      };
    }
    if (token.length > 1024 || !(CLASSIC.test(token) || FINE_GRAINED.test(token) || USER_TOKEN.test(token) || LEGACY.test(token))) {
      return {
        ok: false,
        field: 'token',
        code: 'token_malformed',
        message: 'That is not a GitHub personal access token: they start with ghp_ (classic) or github_pat_ (fine-grained). Copy the token again: it is shown once, right after you create it.',
      };
    }
    return { ok: true, token, email: null };
  },
};
