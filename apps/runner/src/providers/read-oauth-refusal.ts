import * as oauth from 'oauth4webapi';
import type { OAuthRefusal } from './provider-adapter.ts';

/**
 * The OAuth error answer (RFC 6749 §5.2) in what oauth4webapi threw: a ResponseBodyError (an
 * `error` member), or a WWW-Authenticate challenge (a 401 for the client). Null for anything else
 * (network, timeout, a body that is not OAuth). Adapters whose provider answers errors with HTTP 200
 * read the body themselves first.
 */
export async function readOAuthRefusalOf(thrown: unknown): Promise<OAuthRefusal | null> {
  if (thrown instanceof oauth.ResponseBodyError) return { status: thrown.status, error: thrown.error, description: thrown.error_description ?? null };
  if (thrown instanceof oauth.WWWAuthenticateChallengeError) return { status: thrown.status, error: 'invalid_client', description: null };
  if (thrown instanceof Response) {
    const body = (await thrown
      .clone()
      .json()
      .catch(() => ({}))) as { error?: unknown; error_description?: unknown };
    if (typeof body.error !== 'string') return null;
    return { status: thrown.status, error: body.error, description: typeof body.error_description === 'string' ? body.error_description : null };
  }
  return null;
}
