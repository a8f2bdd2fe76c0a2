import { getScmProvider } from './scm-provider-catalogue.ts';
import type { ScmProviderId, ScopeRequirement } from './scm-provider.ts';

export type ApiTokenInputCheck =
  | { ok: true; token: string; email: string }
  | { ok: false; field: 'email' | 'token'; code: 'email_invalid' | 'token_missing' | 'token_malformed' | 'app_password'; message: string };

// Bitbucket app passwords were 20 letters and digits, and from 2023 began with `ATBB`.
const APP_PASSWORD = /^(ATBB[A-Za-z0-9]{20,}|[A-Za-z0-9]{20})$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}\.[^\s@]{2,63}$/;

/**
 * Reads what a developer pasted: spaces and line breaks are dropped (a token has none, and
 * wrapped pastes add them), the e-mail is trimmed. Refuses what cannot be a token before anything
 * is sealed or sent, so an old app password gets its own explanation instead of "invalid token".
 */
export function readApiTokenInput(providerId: ScmProviderId, input: { email: string; token: string }): ApiTokenInputCheck {
  const provider = getScmProvider(providerId);
  const createUrl = provider.apiTokens?.createUrl ?? provider.docs.oauthConsumerUrl;
  const email = input.email.trim();
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
}

/** The API token scopes a token lacks, in the catalogue's order (no scope implies another). */
export function findMissingApiTokenScopes(providerId: ScmProviderId, granted: readonly string[]): ScopeRequirement[] {
  const have = new Set(granted.flatMap((entry) => entry.split(/[\s,]+/)).filter(Boolean));
  return (getScmProvider(providerId).apiTokens?.requiredScopes ?? []).filter((requirement) => !have.has(requirement.scope));
}

/** "The API token is missing scopes: read:pullrequest:bitbucket (Pull requests: Read — …). Create a new token with them." */
export function describeMissingApiTokenScopes(providerId: ScmProviderId, missing: readonly ScopeRequirement[]): string {
  const provider = getScmProvider(providerId);
  const label = provider.apiTokens?.label ?? 'token';
  if (missing.length === 0) return `The ${label} has every scope Runner Console needs.`;
  const list = missing.map((r) => `${r.scope} (${r.checkbox}: ${r.reason})`).join(', ');
  const noun = missing.length === 1 ? 'scope' : 'scopes';
  return `The ${label} is missing ${noun} ${list}. Scopes cannot be added to a token: create a new ${label} with ${missing.length === 1 ? 'it' : 'them'} ticked, and enter it here.`;
}
