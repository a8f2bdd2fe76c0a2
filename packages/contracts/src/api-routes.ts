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
import { ConsoleApiTokenList, CreateConsoleApiTokenRequest, CreateConsoleApiTokenResponse } from './console-api-tokens.ts';
import { SaveSsoSettingsRequest, SignInOptions, SsoRedirect, SsoSettings, SsoStartQuery } from './single-sign-on.ts';
import { CreateEnvironmentRequest, Environment, EnvironmentList } from './environments.ts';
import { PageQuery } from './pagination.ts';
import { RevokeRunnerConnectionResponse, RunnerConnectionList } from './runner-connections.ts';
import {
  AcceptInvitationRequest,
  ChangePasswordRequest,
  CompletePasswordResetRequest,
  CreateInvitationRequest,
  CreateInvitationResponse,
  InvitationPreview,
  LinkTokenRequest,
  Member,
  MemberList,
  OrgAuditLog,
  PasswordResetLink,
  PasswordResetPreview,
  SetupRequest,
  SetupStatus,
  UpdateMemberRequest,
} from './organization.ts';
import {
  AcceptRunnerKeyRequest,
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
  /**
   * A create that takes an `Idempotency-Key` header: a repeat with the same key (a double click, a
   * retry after a lost answer) gets the first answer instead of a second thing.
   */
  idempotent?: boolean;
}

/**
 * The route table: one row per BFF endpoint. The BFF serves OpenAPI from it (with the text in
 * api-route-docs.ts), and the access-control test walks it, so a new route without a rule is caught.
 */
export const apiRoutes = {
  getSession: { method: 'get', path: '/api/auth/session', access: 'public', response: SessionResponse },
  signIn: { method: 'post', path: '/api/auth/sign-in', access: 'public', request: SignInRequest, response: SessionResponse },
  signOut: { method: 'post', path: '/api/auth/sign-out', access: 'public', noContent: true },
  getSetupStatus: { method: 'get', path: '/api/setup', access: 'public', response: SetupStatus },
  completeSetup: { method: 'post', path: '/api/setup', access: 'public', created: true, request: SetupRequest, response: SessionResponse },
  previewInvitation: { method: 'post', path: '/api/invitations/preview', access: 'public', request: LinkTokenRequest, response: InvitationPreview },
  acceptInvitation: { method: 'post', path: '/api/invitations/accept', access: 'public', created: true, request: AcceptInvitationRequest, response: SessionResponse },
  startInvitationSingleSignOn: { method: 'post', path: '/api/invitations/single-sign-on', access: 'public', request: LinkTokenRequest, response: SsoRedirect },
  previewPasswordReset: { method: 'post', path: '/api/password-resets/preview', access: 'public', request: LinkTokenRequest, response: PasswordResetPreview },
  completePasswordReset: { method: 'post', path: '/api/password-resets/complete', access: 'public', request: CompletePasswordResetRequest, noContent: true },
  changeOwnPassword: { method: 'post', path: '/api/account/password', access: 'member', request: ChangePasswordRequest, noContent: true },
  listMembers: { method: 'get', path: '/api/members', access: 'admin', response: MemberList },
  updateMember: { method: 'patch', path: '/api/members/:userId', access: 'admin', request: UpdateMemberRequest, response: Member },
  removeMember: { method: 'delete', path: '/api/members/:userId', access: 'admin', noContent: true },
  createPasswordReset: { method: 'post', path: '/api/members/:userId/password-reset', access: 'admin', created: true, response: PasswordResetLink, idempotent: true },
  createInvitation: { method: 'post', path: '/api/invitations', access: 'admin', created: true, request: CreateInvitationRequest, response: CreateInvitationResponse, idempotent: true },
  revokeInvitation: { method: 'delete', path: '/api/invitations/:invitationId', access: 'admin', noContent: true },
  getOrgAuditLog: { method: 'get', path: '/api/audit-log', access: 'admin', query: PageQuery, response: OrgAuditLog },
  getSignInOptions: { method: 'get', path: '/api/auth/sign-in-options', access: 'public', response: SignInOptions },
  startSingleSignOn: { method: 'get', path: '/api/auth/sso/start', access: 'public', query: SsoStartQuery, redirect: true },
  finishSingleSignOn: { method: 'get', path: '/api/auth/sso/callback', access: 'public', redirect: true },
  listRunners: { method: 'get', path: '/api/runners', access: 'member', query: PageQuery, response: RunnerList },
  createRunner: { method: 'post', path: '/api/runners', access: 'admin', created: true, request: CreateRunnerRequest, response: CreateRunnerResponse, idempotent: true },
  suggestRunnerPublicUrl: { method: 'get', path: '/api/runners/suggested-public-url', access: 'admin', response: SuggestedPublicUrlResponse },
  getRunner: { method: 'get', path: '/api/runners/:runnerId', access: 'member', response: Runner },
  updateRunner: { method: 'patch', path: '/api/runners/:runnerId', access: 'admin', request: UpdateRunnerRequest, response: Runner },
  getRunnerDeletionImpact: { method: 'get', path: '/api/runners/:runnerId/deletion-impact', access: 'admin', response: RunnerDeletionImpact },
  deleteRunner: { method: 'delete', path: '/api/runners/:runnerId', access: 'admin', response: DeleteRunnerResponse },
  newRunnerToken: { method: 'post', path: '/api/runners/:runnerId/token', access: 'admin', response: NewRunnerTokenResponse, idempotent: true },
  rotateRunnerKey: { method: 'post', path: '/api/runners/:runnerId/rotate-key', access: 'admin', response: Runner },
  acceptRunnerKey: { method: 'post', path: '/api/runners/:runnerId/accept-key', access: 'admin', request: AcceptRunnerKeyRequest, response: Runner },
  pingRunner: { method: 'post', path: '/api/runners/:runnerId/ping', access: 'member', response: PingRunnerResponse },
  getRunnerConfigurationSchema: { method: 'get', path: '/api/runners/:runnerId/configuration-schema', access: 'admin', response: RunnerConfigurationSchema },
  listScmIntegrations: { method: 'get', path: '/api/runners/:runnerId/integrations', access: 'member', query: PageQuery, response: ScmIntegrationList },
  createScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations', access: 'admin', created: true, request: CreateScmIntegrationRequest, response: ScmIntegration, idempotent: true },
  updateScmIntegration: { method: 'patch', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', request: UpdateScmIntegrationRequest, response: ScmIntegration },
  deleteScmIntegration: { method: 'delete', path: '/api/runners/:runnerId/integrations/:integrationId', access: 'admin', noContent: true },
  validateScmIntegration: { method: 'post', path: '/api/runners/:runnerId/integrations/:integrationId/validate', access: 'admin', response: ValidateScmIntegrationResponse },
  getRunnerAuditLog: { method: 'get', path: '/api/runners/:runnerId/audit-log', access: 'admin', query: PageQuery, response: AuditLog },
  checkAuthentication: { method: 'post', path: '/api/runners/:runnerId/check-authentication', access: 'member', request: CheckAuthenticationRequest, response: CheckAuthenticationResponse },
  connectApiToken: { method: 'post', path: '/api/runners/:runnerId/api-tokens', access: 'member', created: true, request: ConnectApiTokenRequest, response: ConnectApiTokenResponse, idempotent: true },
  countApiTokenConnections: { method: 'get', path: '/api/runners/:runnerId/integrations/:integrationId/api-token-connections', access: 'admin', response: ApiTokenConnectionCount },
  startConnect: { method: 'get', path: '/api/connect/start', access: 'member', redirect: true },
  // Public in the table because a browser without the flow's session must get a page that says so
  // (and the runner must forget the token); the handler checks the session against the flow's user.
  finishConnect: { method: 'get', path: '/api/connect/finish', access: 'public', redirect: true },
  getConnectFlow: { method: 'get', path: '/api/connect/flows/:flowId', access: 'member', response: ConnectFlow },
  listGitAuthentications: { method: 'get', path: '/api/git-authentications', access: 'member', response: GitAuthenticationList },
  deleteGitAuthentication: { method: 'delete', path: '/api/git-authentications/:runnerId/:tokenId', access: 'member', noContent: true },
  listRunnerConnections: { method: 'get', path: '/api/runners/:runnerId/connections', access: 'admin', response: RunnerConnectionList },
  revokeRunnerConnection: { method: 'delete', path: '/api/runners/:runnerId/connections/:tokenId', access: 'admin', response: RevokeRunnerConnectionResponse },
  listEnvironments: { method: 'get', path: '/api/environments', access: 'member', query: PageQuery, response: EnvironmentList },
  createEnvironment: { method: 'post', path: '/api/environments', access: 'member', created: true, request: CreateEnvironmentRequest, response: Environment, idempotent: true },
  getEnvironment: { method: 'get', path: '/api/environments/:environmentId', access: 'member', response: Environment },
  deleteEnvironment: { method: 'delete', path: '/api/environments/:environmentId', access: 'member', noContent: true },
  listConsoleApiTokens: { method: 'get', path: '/api/console-api-tokens', access: 'admin', response: ConsoleApiTokenList },
  createConsoleApiToken: { method: 'post', path: '/api/console-api-tokens', access: 'admin', created: true, request: CreateConsoleApiTokenRequest, response: CreateConsoleApiTokenResponse, idempotent: true },
  getSsoSettings: { method: 'get', path: '/api/settings/single-sign-on', access: 'admin', response: SsoSettings },
  saveSsoSettings: { method: 'put', path: '/api/settings/single-sign-on', access: 'admin', request: SaveSsoSettingsRequest, response: SsoSettings },
  deleteSsoSettings: { method: 'delete', path: '/api/settings/single-sign-on', access: 'admin', noContent: true },
  revokeConsoleApiToken: { method: 'delete', path: '/api/console-api-tokens/:consoleApiTokenId', access: 'admin', noContent: true },
} satisfies Record<string, ApiRoute>;

export type ApiRouteName = keyof typeof apiRoutes;
