import { z } from 'zod';

/** Like the Gitpod API's CheckAuthenticationForHost: is this user connected to the host on this runner? */
export const CheckAuthenticationRequest = z.object({
  host: z.string().trim().min(1).max(253),
});

export const CheckAuthenticationResponse = z.object({
  host: z.string(),
  runnerId: z.string(),
  /** False when the runner has no integration with OAuth for this host: ask an admin. */
  integrationAvailable: z.boolean(),
  authenticated: z.boolean(),
  scmId: z.string().nullable(),
  scmName: z.string().nullable(),
  accountName: z.string().nullable(),
  /** Set when a connection exists but must be made again (e.g. the grant was revoked). */
  reauthorizeReason: z.string().nullable(),
  requiredScopes: z.array(z.string()),
  /** Where Connect starts (the BFF's flow entry); add `csrf` and open it in a popup or this tab. */
  authorizeUrl: z.string().nullable(),
  adminContacts: z.array(z.string()),
});
export type CheckAuthenticationResponse = z.infer<typeof CheckAuthenticationResponse>;

export const ConnectMode = z.enum(['popup', 'tab']);

/** Query of GET /api/connect/start: creates the single-use flow and sends the browser to the runner. */
export const StartConnectQuery = z.object({
  runnerId: z.string().min(1).max(100),
  host: z.string().min(1).max(253),
  csrf: z.string().min(1).max(200),
  mode: ConnectMode.default('popup'),
  /** Same-tab mode comes back here (a path inside the dashboard). */
  returnTo: z
    .string()
    .max(2000)
    .regex(/^\/(?!\/)/, { error: 'returnTo must be a path inside the dashboard.' })
    .optional(),
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
]);
export type ConnectFailureCode = z.infer<typeof ConnectFailureCode>;

export const ConnectFlow = z.object({
  id: z.string(),
  runnerId: z.string(),
  host: z.string(),
  status: ConnectFlowStatus,
  failureCode: ConnectFailureCode.nullable(),
  message: z.string().nullable(),
  accountName: z.string().nullable(),
  expiresAt: z.string(),
});
export type ConnectFlow = z.infer<typeof ConnectFlow>;

/** Server-sent to the user who started the flow, the moment the runner reports the result. */
export const ConnectResultEvent = z.object({ type: z.literal('connect.result'), flow: ConnectFlow });

/** What the runner's callback page posts to its opener (exact target origin: the dashboard's). */
export const ConnectResultMessage = z.object({
  type: z.literal('runner-console:connect-result'),
  flowId: z.string(),
  status: z.enum(['connected', 'failed']),
  failureCode: ConnectFailureCode.nullable(),
  message: z.string(),
  accountName: z.string().nullable(),
});
export type ConnectResultMessage = z.infer<typeof ConnectResultMessage>;

// ---- runner link methods for Connect ----

export const RedeemFlowParams = z.object({ flowId: z.string().max(100), redeemSecret: z.string().max(200) });
export const RedeemFlowResult = z.object({
  flowId: z.string(),
  userId: z.string(),
  host: z.string(),
  expiresAt: z.string(),
  mode: ConnectMode,
  dashboardOrigin: z.string(),
  returnUrl: z.string(),
});
export type RedeemFlowResult = z.infer<typeof RedeemFlowResult>;

export const CompleteFlowParams = z.object({
  flowId: z.string().max(100),
  status: z.enum(['connected', 'failed']),
  failureCode: ConnectFailureCode.nullable(),
  message: z.string().max(2000),
  accountName: z.string().max(200).nullable(),
});

export const CheckAuthenticationParams = z.object({ userId: z.string(), host: z.string() });
export const CheckAuthenticationResult = z.object({
  integrationAvailable: z.boolean(),
  authenticated: z.boolean(),
  accountName: z.string().nullable(),
  reauthorizeReason: z.string().nullable(),
});

// ---- Git authentications (Settings › Git authentications) ----

/** Like the Gitpod API's HostAuthenticationToken, without the token: tokens never leave the runner. */
export const GitAuthentication = z.object({
  id: z.string(),
  runnerId: z.string(),
  runnerName: z.string(),
  host: z.string(),
  integrationId: z.string(),
  accountName: z.string(),
  accountUsername: z.string().nullable(),
  email: z.string().nullable(),
  scopes: z.array(z.string()),
  expiresAt: z.string().nullable(),
  needsReauthorization: z.boolean(),
  reauthorizeReason: z.string().nullable(),
  connectedAt: z.string(),
});
export type GitAuthentication = z.infer<typeof GitAuthentication>;

export const GitAuthenticationList = z.object({
  authentications: z.array(GitAuthentication),
  /** Runners that could not be asked (offline): their connections are not listed. */
  unreachableRunners: z.array(z.object({ id: z.string(), name: z.string() })),
  appAuthorizationsUrl: z.string(),
});

export const ListTokensParams = z.object({ userId: z.string() });
export const RunnerTokenSummary = GitAuthentication.omit({ runnerId: true, runnerName: true });
export const ListTokensResult = z.object({ tokens: z.array(RunnerTokenSummary) });
export const DeleteTokenParams = z.object({ userId: z.string(), tokenId: z.string() });
