import type * as z from 'zod/mini';
import { SessionResponse, SignInRequest } from './auth.ts';
import {
  AuditLog,
  CreateScmIntegrationRequest,
  RunnerConfigurationSchema,
  ScmIntegration,
  ScmIntegrationList,
  UpdateScmIntegrationRequest,
  ValidateScmIntegrationResponse,
} from './scm-integrations.ts';
import { CheckAuthenticationRequest, CheckAuthenticationResponse, ConnectFlow, GitAuthenticationList } from './connect.ts';
import { CreateEnvironmentRequest, Environment, EnvironmentList } from './environments.ts';
import { PageQuery } from './pagination.ts';
import { CreateRunnerRequest, CreateRunnerResponse, PingRunnerResponse, Runner, RunnerList } from './runners.ts';

/** Who may call a route. `public` needs no session; `member` any signed-in user; `admin` an org admin. */
export type Access = 'public' | 'member' | 'admin';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. /api/runners/:runnerId */
  path: string;
  access: Access;
  summary: string;
  /** What the operation does and what to know before calling it, for the API reference (/api/docs). */
  description: string;
  /**
   * The errors particular to this route, status → when. Those every route of its kind can answer
   * (401 signed out, 403 not an admin or CSRF, 400 for a bad body or query, 404 for an unknown or
   * other org's id, 413 for a body over 100 KB) are added by the OpenAPI builder.
   */
  errors?: Partial<Record<400 | 401 | 404 | 409 | 429 | 502 | 504, string>>;
  request?: z.ZodMiniType;
  /** The query string's schema (list endpoints: PageQuery). */
  query?: z.ZodMiniType;
  response?: z.ZodMiniType;
  /** Success has no body (204). */
  noContent?: boolean;
  /** Success creates something (201). */
  created?: boolean;
  /** Success is a redirect (302), for browser navigations. */
  redirect?: boolean;
}

/**
 * The route table: one row per BFF endpoint. The BFF serves OpenAPI from it, and the access-control
 * test walks it, so a new route without a rule is caught.
 */
export const apiRoutes = {
  getSession: { method: 'get', path: '/api/auth/session', access: 'public', summary: 'Who is signed in', response: SessionResponse , description: 'Answers the signed-in user, or `user: null` when there is no session. Also sets the `rc_csrf` cookie that every non-GET request must echo in the `x-csrf-token` header: call it first.' },
  signIn: { method: 'post', path: '/api/auth/sign-in', access: 'public', summary: 'Sign in with e-mail and password', request: SignInRequest, response: SessionResponse , description: 'Starts a cookie session (`rc_session`, HttpOnly, SameSite=Lax). After 10 failed attempts for one e-mail from one client, sign-in for it is paused for 15 minutes.', errors: { 401: 'The e-mail and password do not match an account.', 429: 'Too many failed attempts for this e-mail: the message says when to try again.' } },
  signOut: { method: 'post', path: '/api/auth/sign-out', access: 'public', summary: 'Sign out', noContent: true , description: 'Ends the session and clears its cookie. Answers 204 whether or not a session existed.' },
  listRunners: { method: 'get', path: '/api/runners', access: 'member', summary: "The org's runners, a page at a time (query: limit, cursor)", query: PageQuery, response: RunnerList , description: 'Every runner of the caller\'s organization with its live phase, oldest first. Pages of `limit` (default 50, at most 100); pass `nextCursor` as `cursor` for the next page.' },
  createRunner: { method: 'post', path: '/api/runners', access: 'admin', summary: 'Set up a new runner; returns its one-time token', created: true, request: CreateRunnerRequest, response: CreateRunnerResponse , description: 'Registers a runner and answers its one-time token and the command that starts it. Only a hash of the token is kept: it cannot be shown again. The runner connects out to Runner Console, registers its public key and turns active.', errors: { 409: 'A runner with this name already exists in the organization.' } },
  getRunner: { method: 'get', path: '/api/runners/:runnerId', access: 'member', summary: 'One runner', response: Runner , description: 'One runner: phase, version, region, public URL, its current public key and when it was last seen.' },
  rotateRunnerKey: { method: 'post', path: '/api/runners/:runnerId/rotate-key', access: 'admin', summary: "The runner makes a new key pair; secrets sealed to the old key keep working until re-entered", response: Runner , description: 'The runner makes a new key pair and registers the public key. Secrets sealed to the old key keep working; each integration using one is flagged `secretNeedsReentry` until its secret is entered again.', errors: { 502: 'The runner is offline, or answered with an unusable key (nothing changed).', 504: 'The runner did not answer in time.' } },
  pingRunner: { method: 'post', path: '/api/runners/:runnerId/ping', access: 'member', summary: 'Round trip to the runner over its link', response: PingRunnerResponse , description: 'Sends a request to the runner over its outbound link and measures the round trip.', errors: { 502: 'The runner is offline.', 504: 'The runner did not answer in time.' } },
  getRunnerConfigurationSchema: { method: 'get', path: '/api/runners/:runnerId/configuration-schema', access: 'admin', summary: "Per provider: host, callback URL, scopes and docs; and the runner's current public key", response: RunnerConfigurationSchema , description: 'What the Add a new provider dialog needs: for each provider whether it is supported, its host, the runner\'s callback URL to register in the OAuth app, the scopes to tick and why, and the runner\'s current public key to seal the client secret to.' },
  listScmIntegrations: { method: 'get', path: '/api/runners/:runnerId/integrations', access: 'member', summary: "The runner's SCM integrations (client IDs for admins only), a page at a time (query: limit, cursor)", query: PageQuery, response: ScmIntegrationList , description: 'The runner\'s SCM integrations with their validation status. Client IDs and key ids are in admins\' answers only. Pages as in `listRunners`.' },
  createScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations', access: 'admin', summary: 'Add a provider; the client secret arrives sealed to the runner (or plaintext from API clients, sealed on arrival)', created: true, request: CreateScmIntegrationRequest, response: ScmIntegration , description: 'Adds a provider to the runner. Send the client secret sealed to the runner\'s current key (`oauthClientSecretEnvelope`, as the dashboard does) or, from an API client, as `oauthPlaintextClientSecret`, which is sealed on arrival and never stored or logged. Before anything is saved the runner checks the Key and Secret with the provider: a wrong pair answers 400 with the error on `fields.clientSecret` and saves nothing. The answer carries the validation result.', errors: { 400: 'A field is invalid, OAuth is off, the provider is not supported yet, the envelope is bound to another runner, key or host, or the provider refused the Key and Secret (`fields.clientSecret`).', 409: 'The runner already has an integration for this host, or has not registered its key yet (`runner_no_key`).', 502: 'The runner is offline (`runner_offline`), or the provider could not be reached to check the Key and Secret (`provider_unreachable`). Nothing was saved.', 504: 'The runner did not answer in time. Nothing was saved.' } },
  updateScmIntegration: { method: 'patch', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', summary: 'Change OAuth, client ID or secret; an absent secret stays unchanged', request: UpdateScmIntegrationRequest, response: ScmIntegration , description: 'Changes OAuth, the client ID or the secret; absent fields stay as they are, so an absent secret stays unchanged. A new Key or Secret (or turning OAuth on) is checked by the runner first: a refused one answers 400 and the current Key and Secret stay in force. Turning OAuth off or changing the client ID deletes the tokens developers made through the old OAuth app.', errors: { 400: 'A field is invalid, the envelope is bound to another runner, key or host, or the provider refused the Key and Secret (`fields.clientSecret`); nothing changed.', 409: 'The runner has not registered its key yet (`runner_no_key`).', 502: 'The runner is offline, or the provider could not be reached; nothing changed.', 504: 'The runner did not answer in time; nothing changed.' } },
  deleteScmIntegration: { method: 'delete', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', summary: "Remove an integration and the runner's tokens made through it", noContent: true , description: 'Removes the integration. The runner deletes every token developers made through it; their connections end.' },
  validateScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations/:integrationId/validate', access: 'admin', summary: 'The runner opens the secret and proves key and secret against the provider', response: ValidateScmIntegrationResponse , description: 'The runner opens the stored secret and checks the Key and Secret against the provider again. Always answers 200 with the outcome in `validation.status` (`valid`, `invalid_credentials`, `runner_offline`, `provider_unreachable`, `needs_new_secret`, `oauth_disabled`) and per-field messages in `fieldErrors`; the status is stored and shown in the list.' },
  getRunnerAuditLog: { method: 'get', path: '/api/runners/:runnerId/audit-log', access: 'admin', summary: 'Who changed what on this runner, newest first (never secrets), a page at a time (query: limit, cursor)', query: PageQuery, response: AuditLog , description: 'Who changed what on this runner, newest first: runner set-up, integrations added, changed, deleted, refused Key and Secret checks, key rotations and developers\' disconnects. Details never contain a secret. Pages as in `listRunners`.' },
  checkAuthentication: { method: 'post', path: '/api/runners/:runnerId/check-authentication', access: 'member', summary: 'Is the caller connected to this host on this runner? (CheckAuthenticationForHost)', request: CheckAuthenticationRequest, response: CheckAuthenticationResponse , description: 'Whether the caller is connected to the host on this runner (the Gitpod API\'s CheckAuthenticationForHost). When not, the answer says whether an integration exists, which scopes Connect asks for, who the org admins are, and the URL that starts Connect.', errors: { 502: 'The runner is offline.', 504: 'The runner did not answer in time.' } },
  startConnect: { method: 'get', path: '/api/connect/start', access: 'member', summary: 'Create a single-use, 10-minute Connect flow and redirect the browser to the runner (query: runnerId, host, csrf, mode, returnTo)', redirect: true , description: 'A browser navigation, not an API call: records a single-use Connect flow (10 minutes, bound to the caller, runner and host) and redirects (302) to the runner\'s public URL, which goes on to the provider\'s authorize page. When the flow cannot start (no integration for the host, runner offline), a popup gets a small HTML page that says why and a same-tab flow is sent back to `returnTo`. `csrf` must equal the `rc_csrf` cookie (403 otherwise).', errors: { 400: 'A query parameter is missing or invalid.', 404: 'The runner is unknown or in another organization.' } },
  getConnectFlow: { method: 'get', path: '/api/connect/flows/:flowId', access: 'member', summary: "A Connect flow's outcome (the caller's own flows only)", response: ConnectFlow , description: 'The outcome of one of the caller\'s Connect flows: `pending`, `connected` (with the account name) or `failed` (with the reason). Other users\' flows answer 404.' },
  listGitAuthentications: { method: 'get', path: '/api/git-authentications', access: 'member', summary: "The caller's provider connections on the org's runners", response: GitAuthenticationList , description: 'The caller\'s provider connections on every runner of the organization that is online (the token itself never leaves the runner), the runners that could not be asked, and the integrations an admin removed or re-keyed in the last 30 days on runners where the caller has no connection now.' },
  deleteGitAuthentication: { method: 'delete', path: '/api/git-authentications/:runnerId/:tokenId', access: 'member', summary: 'Disconnect: the runner deletes the token', noContent: true , description: 'Disconnect: the runner deletes the caller\'s token. Recorded in the runner\'s audit log. The provider\'s own app authorization stays until the user revokes it there.', errors: { 502: 'The runner is offline.', 504: 'The runner did not answer in time.' } },
  listEnvironments: { method: 'get', path: '/api/environments', access: 'member', summary: "The caller's environments, newest first, a page at a time (query: limit, cursor)", query: PageQuery, response: EnvironmentList , description: 'The caller\'s environments, newest first, with their phase. Pages as in `listRunners`.' },
  createEnvironment: { method: 'post', path: '/api/environments', access: 'member', summary: 'Resolve a context URL through the runner with the caller’s token, then clone', created: true, request: CreateEnvironmentRequest, response: Environment , description: 'Resolves the context URL (repository, branch, commit or pull request) through the runner with the caller\'s own token, then has the runner clone it; the answer comes once the URL resolved, with phase `cloning`, and later phases arrive as events. A URL that cannot work (not a link, another host) is refused before the runner is asked, with the same message the dashboard shows.', errors: { 400: 'The URL is not a Bitbucket repository, branch, commit or pull request URL, or the runner has no integration for its host (`fields.contextUrl`).', 404: 'The repository or ref does not exist, or the caller cannot see it.', 409: 'The caller is not connected to the host on this runner, or must connect again (`scm_not_connected`).', 502: 'The runner is offline, or the provider failed.', 504: 'The runner did not answer in time.' } },
  getEnvironment: { method: 'get', path: '/api/environments/:environmentId', access: 'member', summary: 'One of the caller’s environments', response: Environment , description: 'One of the caller\'s environments with its phase and, once resolved, its context. Other users\' environments answer 404.' },
} satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof apiRoutes;
