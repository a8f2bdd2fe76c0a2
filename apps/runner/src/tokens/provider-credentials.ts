import { getScmProvider } from '@runner-console/scm-providers';
import type { StoredToken } from './token-store.ts';

/** Username and secret for git over HTTPS: what the clone and the push credential helper send. */
export interface GitCredentials {
  username: string;
  password: string;
}

/**
 * Git credentials for a connection. OAuth: `x-token-auth` and the access token
 * (https://support.atlassian.com/bitbucket-cloud/docs/using-access-tokens/). API token:
 * `x-bitbucket-api-token-auth` and the token
 * (https://support.atlassian.com/bitbucket-cloud/docs/using-api-tokens/).
 */
export function gitCredentialsFor(token: Pick<StoredToken, 'kind' | 'accessToken'>): GitCredentials {
  if (token.kind === 'api_token') {
    return { username: getScmProvider('bitbucket').apiTokens?.gitUsername ?? 'x-bitbucket-api-token-auth', password: token.accessToken };
  }
  return { username: 'x-token-auth', password: token.accessToken };
}

/** The REST API's Authorization header: Bearer for OAuth, Basic `email:token` for an API token. */
export function restAuthorizationFor(token: Pick<StoredToken, 'kind' | 'accessToken' | 'loginEmail'>): string {
  if (token.kind === 'api_token') return basicAuthorization(token.loginEmail ?? '', token.accessToken);
  return `Bearer ${token.accessToken}`;
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
