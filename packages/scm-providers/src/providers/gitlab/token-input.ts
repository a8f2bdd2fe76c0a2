import type { TokenInputCheck, TokenInputRules } from '../../provider-module.ts';

// Token prefixes: https://docs.gitlab.com/security/tokens/#token-prefixes
// glpat- (personal, project and group access tokens) act as a user; the others do not.
// A self-managed instance may set its own personal access token prefix, so any other token of
// GitLab's alphabet is let through and checked by GitLab itself.
const PERSONAL = /^glpat-[A-Za-z0-9_.-]{20,}$/;
const OTHER_GITLAB_SHAPE = /^[A-Za-z0-9_.-]{20,255}$/;
const NOT_A_PERSON: readonly [RegExp, string][] = [
  [/^gloas-/, 'This is an OAuth application secret, not a personal access token.'],
  [/^gldt-/, 'This is a deploy token, which does not act as you.'],
  [/^glrt-/, 'This is a runner authentication token, which does not act as you.'],
  [/^glptt-/, 'This is a pipeline trigger token, which does not act as you.'],
  [/^glcbt-/, 'This is a CI/CD job token, which does not act as you.'],
  [/^glft-/, 'This is a feed token, which reads only RSS and calendar feeds.'],
  [/^glimt-/, 'This is an incoming mail token, which does not act as you.'],
  [/^glagent-/, 'This is a Kubernetes agent token, which does not act as you.'],
  [/^glsoat-/, 'This is a SCIM token, which does not act as you.'],
];

/**
 * GitLab answers a personal access token's scopes and expiry itself
 * (GET /api/v4/personal_access_tokens/self), so the form asks for the token alone.
 */
export const gitlabTokenInput: TokenInputRules = {
  needsEmail: false,
  needsExpiry: false,
  read(input): TokenInputCheck {
    const token = input.token.replace(/\s+/g, '');
    if (token === '') return { ok: false, field: 'token', code: 'token_missing', message: 'Paste the personal access token.' };
    const other = NOT_A_PERSON.find(([pattern]) => pattern.test(token));
    if (other) return { ok: false, field: 'token', code: 'token_malformed', message: `${other[1]} Create a personal access token (it starts with glpat-) and paste it here.` };
    if (token.length > 1024 || !(PERSONAL.test(token) || OTHER_GITLAB_SHAPE.test(token))) {
      return {
        ok: false,
        field: 'token',
        code: 'token_malformed',
        message: 'That is not a GitLab personal access token: they start with glpat- and hold letters, digits, - and _. Copy the token again: GitLab shows it once, right after you create it.',
      };
    }
    return { ok: true, token, email: null };
  },
};
