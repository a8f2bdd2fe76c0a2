import type { ProviderRevocation } from '@runner-console/contracts';
import type { StoredToken } from './token-store.ts';

/** Revokes a token's grant at its provider; what the provider seam's optional per-provider `revoke` does. */
export type RevokeAtProvider = (token: StoredToken) => Promise<ProviderRevocation>;

/**
 * The one place an erased connection is revoked at its provider. Today the runner serves Bitbucket
 * Cloud only, and Bitbucket Cloud has no endpoint that revokes an OAuth grant or an API token (the
 * user removes the app authorization at bitbucket.org/account/settings/app-authorizations/ and API
 * tokens at id.atlassian.com): the token is erased on the runner and this answers `not_supported`.
 * When the provider seam (apps/runner/src/providers/) lands, this becomes a lookup of the host's
 * provider and a call of its optional `revoke` (GitHub: DELETE /applications/{client_id}/grant;
 * GitLab: POST /oauth/revoke), with `failed` when the provider could not be reached.
 */
export function createRevokeAtProvider(): RevokeAtProvider {
  return async (token) => {
    void token;
    return 'not_supported';
  };
}
