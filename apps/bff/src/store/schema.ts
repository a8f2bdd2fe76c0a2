import type { ScmProviderId } from '@runner-console/scm-providers';
import type { Generated } from 'kysely';

/** Row types of the BFF's database. Times are ISO-8601 strings (UTC). */
export interface OrgsTable {
  id: string;
  name: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  password_hash: string;
  created_at: string;
  /** How the user signs in (0012): `password`, or `sso` for users single sign-on created. */
  sign_in_method?: Generated<'password' | 'sso'>;
  /** Their sessions' last request, to the minute (0012). */
  last_seen_at?: string | null;
}

/** Hashes of one-time set-up codes, one per instance that started on an empty database (0012). */
export interface SetupCodesTable {
  code_hash: string;
  created_at: string;
}

/** Single-use invitation and password-reset links (0012); the token is kept as its SHA-256 only. */
export interface AccountLinksTable {
  id: string;
  org_id: string;
  kind: 'invitation' | 'password-reset';
  token_hash: string;
  email: string;
  role: 'admin' | 'member' | null;
  user_id: string | null;
  created_by: string | null;
  created_by_email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  /** sha256 of the cookie value: a stolen database does not yield live sessions. */
  id_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_used_at: string;
}

export interface RunnersTable {
  id: string;
  org_id: string;
  name: string;
  kind: 'local' | 'self-hosted';
  token_hash: string | null;
  phase: 'created' | 'active' | 'inactive' | 'degraded';
  version: string | null;
  region: string | null;
  public_url: string | null;
  /** Fixed at set-up (or the first connection); see migration 0006. */
  pinned_public_url: string | null;
  /** Pinned at the first connection; changed only by Rotate key or an admin's acceptance (0009). */
  public_key_jwk: string | null;
  /** A different key a refused connection presented, waiting for an admin (0009). */
  pending_public_key_jwk?: string | null;
  pending_key_at?: string | null;
  /** The provider sites of the runner's last hello, as JSON (0011). */
  provider_sites_json?: string | null;
  last_seen_at: string | null;
  created_at: string;
  created_by: string | null;
  /** The BFF instance holding the runner's link (0008); null until it first connects. */
  link_instance?: string | null;
}

/** A create's first answer, replayed for a repeat with the same Idempotency-Key (migration 0010). */
export interface IdempotencyKeysTable {
  key_hash: string;
  request_hash: string;
  state: 'pending' | 'done';
  status: number | null;
  /** The answer's JSON, AES-256-GCM under a key derived from the Idempotency-Key. */
  sealed_body: string | null;
  created_at: string;
  expires_at: string;
}

export interface RateLimitHitsTable {
  key: string;
  hits: number;
  reset_at: string;
}

/** Cluster messages too large for a NOTIFY payload: the notification carries the id. */
export interface ClusterMessagesTable {
  id: string;
  body: string;
  created_at: string;
}

export interface AuditLogTable {
  seq: Generated<number>;
  id: string;
  org_id: string;
  runner_id: string | null;
  actor_id: string | null;
  actor_email: string | null;
  /** The API token that acted for actor_id, by name (0013); null for a session. */
  actor_token_name?: string | null;
  action: string;
  target: string;
  details: string;
  at: string;
}

export interface ScmIntegrationsTable {
  id: string;
  org_id: string;
  runner_id: string;
  provider: ScmProviderId;
  host: string;
  oauth_enabled: number;
  /** 1 when developers may connect with a personal access token. */
  pat_enabled: number;
  client_id: string | null;
  secret_envelope: string | null;
  secret_kid: string | null;
  /** The tenant's issuer URL, for OAuth servers with tenants; null otherwise. */
  issuer_url: string | null;
  /** A self-managed server's path for repositories (a collection); null otherwise. */
  virtual_directory: string | null;
  validation_status: string;
  validation_message: string | null;
  validated_at: string | null;
  /** The callback URL the OAuth consumer was set up with. */
  callback_url: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string | null;
}

export interface OAuthFlowsTable {
  id: string;
  org_id: string;
  user_id: string;
  runner_id: string;
  host: string;
  redeem_secret_hash: string;
  mode: 'popup' | 'tab';
  return_to: string;
  status: 'started' | 'redeemed' | 'connected' | 'failed';
  failure_code: string | null;
  message: string | null;
  account_name: string | null;
  created_at: string;
  expires_at: string;
  redeemed_at: string | null;
  completed_at: string | null;
}

export interface EnvironmentsTable {
  id: string;
  org_id: string;
  user_id: string;
  runner_id: string;
  context_url: string;
  phase: 'creating' | 'cloning' | 'ready' | 'failed';
  message: string | null;
  context_json: string | null;
  workspace_path: string | null;
  created_at: string;
  updated_at: string;
}

/** An erasure of a removed member's tokens that a runner has not confirmed yet (offline when it was asked). */
export interface PendingErasuresTable {
  id: string;
  org_id: string;
  runner_id: string;
  user_id: string;
  user_email: string | null;
  created_at: string;
}

/** API tokens for automation (0013): the token's SHA-256 only. */
export interface ConsoleApiTokensTable {
  id: string;
  org_id: string;
  created_by: string;
  name: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** Single sign-on per organization (0014); the client secret only sealed. */
export interface SsoSettingsTable {
  org_id: string;
  display_name: string;
  issuer_url: string;
  client_id: string;
  client_secret_sealed: string;
  /** JSON array of lowercase domains. */
  allowed_domains: string;
  require_sso: number;
  updated_at: string;
  updated_by: string | null;
}

/** A started single sign-on: state, nonce and PKCE verifier, by the hash of the browser's cookie (0014). */
export interface SsoAttemptsTable {
  id_hash: string;
  org_id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: string;
  expires_at: string;
  /** SHA-256 of the invitation token this sign-in joins with (0016); null for a plain sign-in. */
  invitation_hash?: string | null;
}

export interface Database {
  oauth_flows: OAuthFlowsTable;
  environments: EnvironmentsTable;
  scm_integrations: ScmIntegrationsTable;
  orgs: OrgsTable;
  users: UsersTable;
  sessions: SessionsTable;
  runners: RunnersTable;
  audit_log: AuditLogTable;
  rate_limit_hits: RateLimitHitsTable;
  idempotency_keys: IdempotencyKeysTable;
  cluster_messages: ClusterMessagesTable;
  pending_erasures: PendingErasuresTable;
  setup_codes: SetupCodesTable;
  account_links: AccountLinksTable;
  console_api_tokens: ConsoleApiTokensTable;
  sso_settings: SsoSettingsTable;
  sso_attempts: SsoAttemptsTable;
}
