import { constantTimeEquals, hashOpaqueToken, readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { GitHubState, OAuthClient } from '../state.ts';

/** The client whose id and secret match, or undefined (compared in constant time, by hash). */
export function authenticateClient(state: GitHubState, clientId: unknown, clientSecret: unknown): OAuthClient | undefined {
  if (typeof clientId !== 'string' || typeof clientSecret !== 'string') return undefined;
  const client = state.clients.get(clientId);
  if (!client) return undefined;
  return constantTimeEquals(client.clientSecretHash, hashOpaqueToken(clientSecret)) ? client : undefined;
}

/** Client credentials from the body (as octokit sends them) or from HTTP Basic. */
export function readClientCredentials(req: Request, body: Record<string, unknown>): { clientId: unknown; clientSecret: unknown } {
  const basic = readBasicCredentials(req);
  if (basic) return { clientId: basic.username, clientSecret: basic.password };
  return { clientId: body.client_id, clientSecret: body.client_secret };
}

/**
 * GitHub's redirect_uri rule. OAuth Apps: the same scheme, host and port as the callback URL,
 * and a path at or below the callback's; loopback callbacks may use any port. GitHub Apps: exactly
 * one of the callback URLs. https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#redirect-urls
 */
export function redirectUriAllowed(client: OAuthClient, redirectUri: string): boolean {
  let redirect: URL;
  let callback: URL;
  try {
    redirect = new URL(redirectUri);
    callback = new URL(client.callbackUrl);
  } catch {
    return false;
  }
  if (redirect.hash !== '') return false;
  if (client.kind === 'github-app') return redirect.href === callback.href;
  const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(callback.hostname);
  const sameOrigin = loopback
    ? redirect.protocol === callback.protocol && redirect.hostname === callback.hostname
    : redirect.origin === callback.origin;
  const base = callback.pathname.endsWith('/') ? callback.pathname : `${callback.pathname}/`;
  const pathBelow = redirect.pathname === callback.pathname || redirect.pathname.startsWith(base);
  return sameOrigin && pathBelow && !redirect.pathname.split('/').includes('..');
}

/** GitHub splits `scope` on spaces or commas. */
export function parseScopeParameter(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...new Set(value.split(/[\s,]+/).filter((scope) => scope.length > 0))];
}
