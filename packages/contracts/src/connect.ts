import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';
import { ConnectionMethod, SupportsOAuth2, SupportsPat } from './api-tokens.ts';
import { isDashboardPath } from './dashboard-path.ts';
import { ScmProviderId } from './scm-integrations.ts';

/** Like the Gitpod API's CheckAuthenticationForHost: is this user connected to the host on this runner? */
export const CheckAuthenticationRequest = z.object({
  host: z.string().check(z.trim(), z.minLength(1), z.maxLength(253), noForbiddenCharacters),
});

export const CheckAuthenticationResponse = z.object({
  host: z.string(),
  runnerId: z.string(),
  /** False when the runner has no integration with OAuth for this host: ask an admin. */
  integrationAvailable: z.boolean(),
  authenticated: z.boolean(),
  scmId: z.nullable(ScmProviderId),
  scmName: z.nullable(z.string()),
  accountName: z.nullable(z.string()),
  /** Set when a connection exists but must be made again (e.g. the grant was revoked). */
  reauthorizeReason: z.nullable(z.string()),
  requiredScopes: z.array(z.string()),
  /** Where Connect starts (the BFF's flow entry); add `csrf` and open it in a popup or this tab. */
  authorizeUrl: z.nullable(z.string()),
  adminContacts: z.array(z.string()),
  /**
   * Set when Connect cannot work now although an integration exists (its callback URL changed):
   * what to tell the developer. authorizeUrl is then null.
   */
  unavailableReason: z.optional(z.nullable(z.string())),
  /** The ways this integration lets a developer connect (Ona's supports_oauth2 / supports_pat). */
  supportsOauth2: z.nullable(SupportsOAuth2),
  supportsPat: z.nullable(SupportsPat),
  /** How the current connection was made, and when it stops working (API tokens). */
  method: z.nullable(ConnectionMethod),
  expiresAt: z.nullable(z.string()),
});
export type CheckAuthenticationResponse = z.infer<typeof CheckAuthenticationResponse>;

export const ConnectMode = z.enum(['popup', 'tab']);

/** Query of GET /api/connect/start: creates the single-use flow and sends the browser to the runner. */
export const StartConnectQuery = z.object({
  runnerId: z.string().check(z.minLength(1), z.maxLength(100), noForbiddenCharacters),
  host: z.string().check(z.minLength(1), z.maxLength(253), noForbiddenCharacters),
  csrf: z.string().check(z.minLength(1), z.maxLength(200), noForbiddenCharacters),
  mode: z._default(ConnectMode, 'popup'),
  /** Same-tab mode comes back here (a path inside the dashboard). */
  returnTo: z.optional(
    z
      .string()
      .check(
        z.maxLength(2000),
        z.refine(isDashboardPath, { error: 'returnTo must be a path inside the dashboard, such as /environments/new.' }),
      ),
  ),
});

/**
 * Query of GET /api/connect/finish: where the runner sends the browser after the provider's callback.
 * The runner holds the exchanged token until the BFF has checked that this browser's session is the
 * flow's user; `confirm` (single-use, known only to the browser the callback reached) lets it commit.
 */
export const FinishConnectQuery = z.object({
  flow: z.string().check(z.regex(/^[0-9a-f-]{36}$/, { error: 'This Connect link is incomplete.' })),
  confirm: z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, { error: 'This Connect link is incomplete.' })),
});

export const ConnectFlowStatus = z.enum(['started', 'redeemed', 'connected', 'failed']);
export const ConnectFailureCode = z.enum([
  'access_denied',
  'invalid_client',
  'missing_scope',
  'flow_expired',
  'flow_invalid',
  'runner_offline',
  'provider_error',
  'browser_mismatch',
  'no_integration',
  'callback_url_changed',
  /** The provider's answer came back to a browser that is not signed in as the user who clicked Connect. */
  'wrong_user',
]);
export type ConnectFailureCode = z.infer<typeof ConnectFailureCode>;

export const ConnectFlow = z.object({
  id: z.string(),
  runnerId: z.string(),
  host: z.string(),
  status: ConnectFlowStatus,
  failureCode: z.nullable(ConnectFailureCode),
  message: z.nullable(z.string()),
  accountName: z.nullable(z.string()),
  expiresAt: z.string(),
});
export type ConnectFlow = z.infer<typeof ConnectFlow>;

/** Server-sent to the user who started the flow, the moment the runner reports the result. */
export const ConnectResultEvent = z.object({
  type: z.literal('connect.result'),
  flow: ConnectFlow,
});

/** What the runner's callback page posts to its opener (exact target origin: the dashboard's). */
export const ConnectResultMessage = z.object({
  type: z.literal('runner-console:connect-result'),
  flowId: z.string(),
  status: z.enum(['connected', 'failed']),
  failureCode: z.nullable(ConnectFailureCode),
  message: z.string(),
  accountName: z.nullable(z.string()),
});
export type ConnectResultMessage = z.infer<typeof ConnectResultMessage>;

// ---- runner link methods for Connect ----

export const RedeemFlowParams = z.object({
  flowId: z.string().check(z.maxLength(100)),
  redeemSecret: z.string().check(z.maxLength(200)),
});
export const RedeemFlowResult = z.object({
  flowId: z.string(),
  userId: z.string(),
  host: z.string(),
  expiresAt: z.string(),
  mode: ConnectMode,
  dashboardOrigin: z.string(),
  returnUrl: z.string(),
  /** Where the runner sends the browser after a successful exchange, to prove it is the flow's user's. */
  finishUrl: z.string(),
});
export type RedeemFlowResult = z.infer<typeof RedeemFlowResult>;

export const CompleteFlowParams = z.object({
  flowId: z.string().check(z.maxLength(100)),
  status: z.enum(['connected', 'failed']),
  failureCode: z.nullable(ConnectFailureCode),
  message: z.string().check(z.maxLength(2000)),
  accountName: z.nullable(z.string().check(z.maxLength(200))),
});

/** BFF → runner: the flow's user is the one signed in where the callback landed: store the token now. */
export const CommitConnectParams = z.object({
  flowId: z.string().check(z.maxLength(100)),
  userId: z.string().check(z.maxLength(100)),
  confirmSecret: z.string().check(z.maxLength(100)),
});
export const CommitConnectResult = z.object({ accountName: z.string() });
/** BFF → runner: the callback landed in someone else's browser: forget the exchanged token. */
export const DiscardConnectParams = z.object({ flowId: z.string().check(z.maxLength(100)) });
export const DiscardConnectResult = z.object({ discarded: z.boolean(), accountName: z.nullable(z.string()) });

export const CheckAuthenticationParams = z.object({ userId: z.string(), host: z.string() });
export const CheckAuthenticationResult = z.object({
  integrationAvailable: z.boolean(),
  authenticated: z.boolean(),
  accountName: z.nullable(z.string()),
  reauthorizeReason: z.nullable(z.string()),
  /** Absent from older runners: OAuth only. */
  oauthAvailable: z.optional(z.boolean()),
  patAvailable: z.optional(z.boolean()),
  /** Where this runner's provider creates API tokens (its own web origin, so the emulator's under npm start). */
  apiTokenCreateUrl: z.optional(z.nullable(z.string())),
  method: z.optional(z.nullable(ConnectionMethod)),
  expiresAt: z.optional(z.nullable(z.string())),
});

// ---- Git authentications (Settings › Git authentications) ----

/** Like the Gitpod API's HostAuthenticationToken, without the token: tokens never leave the runner. */
export const GitAuthentication = z.object({
  id: z.string(),
  runnerId: z.string(),
  runnerName: z.string(),
  host: z.string(),
  integrationId: z.string(),
  /** The integration's provider (the host alone does not tell for a self-managed server). Set by the BFF. */
  provider: z.optional(z.nullable(ScmProviderId)),
  /** Where to remove the app's access on the provider for this connection, or null when there is no such page. Set by the BFF. */
  appAuthorizationsUrl: z.optional(z.nullable(z.string())),
  /** OAuth, or a personal access token the developer entered ("API token"). */
  method: z._default(ConnectionMethod, 'oauth'),
  accountName: z.string(),
  accountUsername: z.nullable(z.string()),
  email: z.nullable(z.string()),
  scopes: z.array(z.string()),
  expiresAt: z.nullable(z.string()),
  needsReauthorization: z.boolean(),
  reauthorizeReason: z.nullable(z.string()),
  connectedAt: z.string(),
});
export type GitAuthentication = z.infer<typeof GitAuthentication>;

export const GitAuthenticationList = z.object({
  authentications: z.array(GitAuthentication),
  /** Runners that could not be asked (offline): their connections are not listed. */
  unreachableRunners: z.array(z.object({ id: z.string(), name: z.string() })),
  appAuthorizationsUrl: z.string(),
  /**
   * Integrations an admin removed or re-keyed lately (30 days) on runners where the user has no
   * connection now: what ended connections made through them, so none vanishes without a word.
   */
  endedByAdmin: z.optional(
    z.array(
      z.object({
        runnerId: z.string(),
        runnerName: z.string(),
        host: z.string(),
        at: z.string(),
        /** `revoked_by_admin`: an admin revoked this user's own connection (Runner › Connections). */
        reason: z.enum(['integration_deleted', 'oauth_disabled', 'client_id_changed', 'revoked_by_admin']),
      }),
    ),
  ),
});

export const ListTokensParams = z.object({ userId: z.string() });
// What the runner reports; the BFF adds the runner, the provider and the authorizations page (a runner's own values for those are dropped).
export const RunnerTokenSummary = z.omit(GitAuthentication, { runnerId: true, runnerName: true, provider: true, appAuthorizationsUrl: true });
export const ListTokensResult = z.object({ tokens: z.array(RunnerTokenSummary) });
export const DeleteTokenParams = z.object({ userId: z.string(), tokenId: z.string() });
/** BFF → runner: an integration was removed, or one way to connect turned off (`kind`): drop those tokens. */
export const DeleteTokensForIntegrationParams = z.object({ integrationId: z.string(), kind: z.optional(ConnectionMethod) });
