import * as z from 'zod/mini';
import { ConnectionMethod } from './api-tokens.ts';

// ---- Runner › Connections (admins) and offboarding ----
// Every developer's connection on one runner, as an admin sees it. None of these shapes has a field
// for a token: the runner never sends one, and an unknown field a runner might add is stripped when
// the BFF parses its answer (z.object drops unknown keys), so it can never reach the API.

/** What the runner says about one stored connection (runner → BFF, over the link). */
export const RunnerConnectionSummary = z.object({
  id: z.string().check(z.maxLength(100)),
  userId: z.string().check(z.maxLength(100)),
  host: z.string().check(z.maxLength(255)),
  integrationId: z.string().check(z.maxLength(100)),
  method: ConnectionMethod,
  accountName: z.string().check(z.maxLength(255)),
  accountUsername: z.nullable(z.string().check(z.maxLength(255))),
  scopes: z.array(z.string().check(z.maxLength(100))).check(z.maxLength(100)),
  expiresAt: z.nullable(z.string()),
  /** When the runner last handed the token to a use (REST call, clone, git push); null if never. */
  lastUsedAt: z.nullable(z.string()),
  connectedAt: z.string(),
  needsReauthorization: z.boolean(),
});
export type RunnerConnectionSummary = z.infer<typeof RunnerConnectionSummary>;

/** BFF → runner `listConnections`: no parameters. */
export const ListConnectionsResult = z.object({ connections: z.array(RunnerConnectionSummary) });

/**
 * What became of a connection at its provider when it was revoked: `revoked` (the provider ended the
 * grant), `not_supported` (the provider's catalogue entry names no revoke endpoint: the token was
 * erased on the runner, the user's app authorization stays until they remove it there) or `failed`
 * (the provider could not be reached or refused; the token is erased on the runner all the same).
 */
export const ProviderRevocation = z.enum(['revoked', 'not_supported', 'failed']);
export type ProviderRevocation = z.infer<typeof ProviderRevocation>;

/** BFF → runner `revokeConnection`: an admin ends one developer's connection. */
export const RevokeConnectionParams = z.object({ tokenId: z.string().check(z.minLength(1), z.maxLength(100)) });
export const RevokeConnectionResult = z.object({ connection: RunnerConnectionSummary, atProvider: ProviderRevocation });

/** BFF → runner `eraseUserConnections`: a member was removed; every connection of theirs goes. */
export const EraseUserConnectionsParams = z.object({ userId: z.string().check(z.minLength(1), z.maxLength(100)) });
export const EraseUserConnectionsResult = z.object({
  erased: z.int().check(z.nonnegative()),
  revokedAtProvider: z.int().check(z.nonnegative()),
});

/** One connection in Runner › Connections: the runner's summary with the user it belongs to. */
export const RunnerConnection = z.extend(RunnerConnectionSummary, {
  /** Null when the user is no longer a member of the organization. */
  userName: z.nullable(z.string()),
  userEmail: z.nullable(z.string()),
});
export type RunnerConnection = z.infer<typeof RunnerConnection>;

export const RunnerConnectionList = z.object({ connections: z.array(RunnerConnection) });
export type RunnerConnectionList = z.infer<typeof RunnerConnectionList>;

export const RevokeRunnerConnectionResponse = z.object({ atProvider: ProviderRevocation });
export type RevokeRunnerConnectionResponse = z.infer<typeof RevokeRunnerConnectionResponse>;
