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
import { ApiTokenConnectionCount, ConnectApiTokenRequest, ConnectApiTokenResponse } from './api-tokens.ts';
import { CreateEnvironmentRequest, Environment, EnvironmentList } from './environments.ts';
import { PageQuery } from './pagination.ts';
import {
  CreateRunnerRequest,
  CreateRunnerResponse,
  DeleteRunnerResponse,
  NewRunnerTokenResponse,
  PingRunnerResponse,
  Runner,
  RunnerDeletionImpact,
  RunnerList,
  SuggestedPublicUrlResponse,
  UpdateRunnerRequest,
} from './runners.ts';

/** Who may call a route. `public` needs no session; `member` any signed-in user; `admin` an org admin. */
export type Access = 'public' | 'member' | 'admin';

export interface ApiRoute {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express-style path, e.g. /api/runners/:runnerId */
  path: string;
  access: Access;
  summary: string;
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
  getSession: { method: 'get', path: '/api/auth/session', access: 'public', summary: 'Who is signed in', response: SessionResponse },
  signIn: { method: 'post', path: '/api/auth/sign-in', access: 'public', summary: 'Sign in with e-mail and password', request: SignInRequest, response: SessionResponse },
  signOut: { method: 'post', path: '/api/auth/sign-out', access: 'public', summary: 'Sign out', noContent: true },
  listRunners: { method: 'get', path: '/api/runners', access: 'member', summary: "The org's runners, a page at a time (query: limit, cursor)", query: PageQuery, response: RunnerList },
  createRunner: { method: 'post', path: '/api/runners', access: 'admin', summary: 'Set up a new runner; returns its one-time token', created: true, request: CreateRunnerRequest, response: CreateRunnerResponse },
  suggestRunnerPublicUrl: { method: 'get', path: '/api/runners/suggested-public-url', access: 'admin', summary: "For a runner on the BFF's machine: http://localhost on a port free there now", response: SuggestedPublicUrlResponse },
  getRunner: { method: 'get', path: '/api/runners/:runnerId', access: 'member', summary: 'One runner', response: Runner },
  updateRunner: { method: 'patch', path: '/api/runners/:runnerId', access: 'admin', summary: 'Rename a runner, or move its pinned public URL', request: UpdateRunnerRequest, response: Runner },
  getRunnerDeletionImpact: { method: 'get', path: '/api/runners/:runnerId/deletion-impact', access: 'admin', summary: "What deleting the runner takes with it: integrations, environments, developers' tokens", response: RunnerDeletionImpact },
  deleteRunner: { method: 'delete', path: '/api/runners/:runnerId', access: 'admin', summary: 'Delete a runner with its integrations, environments and Connect flows; a connected runner erases its tokens and workspaces', response: DeleteRunnerResponse },
  newRunnerToken: { method: 'post', path: '/api/runners/:runnerId/token', access: 'admin', summary: 'A new runner token; the old one stops working at once and a connected runner is disconnected', response: NewRunnerTokenResponse },
  rotateRunnerKey: { method: 'post', path: '/api/runners/:runnerId/rotate-key', access: 'admin', summary: "The runner makes a new key pair; secrets sealed to the old key keep working until re-entered", response: Runner },
  pingRunner: { method: 'post', path: '/api/runners/:runnerId/ping', access: 'member', summary: 'Round trip to the runner over its link', response: PingRunnerResponse },
  getRunnerConfigurationSchema: { method: 'get', path: '/api/runners/:runnerId/configuration-schema', access: 'admin', summary: "Per provider: host, callback URL, scopes and docs; and the runner's current public key", response: RunnerConfigurationSchema },
  listScmIntegrations: { method: 'get', path: '/api/runners/:runnerId/integrations', access: 'member', summary: "The runner's SCM integrations (client IDs for admins only), a page at a time (query: limit, cursor)", query: PageQuery, response: ScmIntegrationList },
  createScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations', access: 'admin', summary: 'Add a provider; the client secret arrives sealed to the runner (or plaintext from API clients, sealed on arrival)', created: true, request: CreateScmIntegrationRequest, response: ScmIntegration },
  updateScmIntegration: { method: 'patch', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', summary: 'Change OAuth, client ID or secret; an absent secret stays unchanged', request: UpdateScmIntegrationRequest, response: ScmIntegration },
  deleteScmIntegration: { method: 'delete', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', summary: "Remove an integration and the runner's tokens made through it", noContent: true },
  validateScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations/:integrationId/validate', access: 'admin', summary: 'The runner opens the secret and proves key and secret against the provider', response: ValidateScmIntegrationResponse },
  getRunnerAuditLog: { method: 'get', path: '/api/runners/:runnerId/audit-log', access: 'admin', summary: 'Who changed what on this runner, newest first (never secrets), a page at a time (query: limit, cursor)', query: PageQuery, response: AuditLog },
  checkAuthentication: { method: 'post', path: '/api/runners/:runnerId/check-authentication', access: 'member', summary: 'Is the caller connected to this host on this runner? (CheckAuthenticationForHost)', request: CheckAuthenticationRequest, response: CheckAuthenticationResponse },
  connectApiToken: { method: 'post', path: '/api/runners/:runnerId/api-tokens', access: 'member', summary: 'Connect with a personal access token (Bitbucket API token) sealed in the browser to the runner, bound to runner, host and user; the runner checks and stores it', created: true, request: ConnectApiTokenRequest, response: ConnectApiTokenResponse },
  countApiTokenConnections: { method: 'get', path: '/api/runners/:runnerId/integrations/:integrationId/api-token-connections', access: 'admin', summary: 'How many developers are connected with a personal access token (turning tokens off deletes them)', response: ApiTokenConnectionCount },
  startConnect: { method: 'get', path: '/api/connect/start', access: 'member', summary: 'Create a single-use, 10-minute Connect flow and redirect the browser to the runner (query: runnerId, host, csrf, mode, returnTo)', redirect: true },
  getConnectFlow: { method: 'get', path: '/api/connect/flows/:flowId', access: 'member', summary: "A Connect flow's outcome (the caller's own flows only)", response: ConnectFlow },
  listGitAuthentications: { method: 'get', path: '/api/git-authentications', access: 'member', summary: "The caller's provider connections on the org's runners", response: GitAuthenticationList },
  deleteGitAuthentication: { method: 'delete', path: '/api/git-authentications/:runnerId/:tokenId', access: 'member', summary: 'Disconnect: the runner deletes the token', noContent: true },
  listEnvironments: { method: 'get', path: '/api/environments', access: 'member', summary: "The caller's environments, newest first, a page at a time (query: limit, cursor)", query: PageQuery, response: EnvironmentList },
  createEnvironment: { method: 'post', path: '/api/environments', access: 'member', summary: 'Resolve a context URL through the runner with the caller’s token, then clone', created: true, request: CreateEnvironmentRequest, response: Environment },
  getEnvironment: { method: 'get', path: '/api/environments/:environmentId', access: 'member', summary: 'One of the caller’s environments', response: Environment },
  deleteEnvironment: { method: 'delete', path: '/api/environments/:environmentId', access: 'member', summary: 'Delete one of the caller’s environments; the runner removes its workspace folder', noContent: true },
} satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof apiRoutes;
