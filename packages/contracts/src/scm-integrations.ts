import { z } from 'zod';
import { NextCursor } from './pagination.ts';

export const ScmProviderId = z.enum(['github', 'gitlab', 'bitbucket', 'azure-devops']);
export type ScmProviderId = z.infer<typeof ScmProviderId>;

export const ScopeRequirement = z.object({ scope: z.string(), checkbox: z.string(), reason: z.string() });

/** Per provider, what the "Add a new provider" modal needs: names, host, callback URL, scopes, docs. */
export const ProviderConfigurationSchema = z.object({
  id: ScmProviderId,
  name: z.string(),
  supported: z.boolean(),
  unsupportedReason: z.string().nullable(),
  defaultHost: z.string(),
  hostEditable: z.boolean(),
  /** The runner's OAuth callback URL, to paste into the provider's OAuth consumer. Null until the runner has connected. */
  callbackUrl: z.string().nullable(),
  requiredScopes: z.array(ScopeRequirement),
  clientIdLabel: z.string().nullable(),
  clientSecretLabel: z.string().nullable(),
  docsUrl: z.string().nullable(),
});
export type ProviderConfigurationSchema = z.infer<typeof ProviderConfigurationSchema>;

export const RunnerConfigurationSchema = z.object({
  runnerId: z.string(),
  /** The key secrets must be sealed to; null when the runner has not registered one yet. */
  publicKey: z
    .object({ kty: z.enum(['EC', 'OKP']), crv: z.enum(['P-256', 'X25519']), x: z.string(), y: z.string().optional(), kid: z.string() })
    .nullable(),
  runnerOnline: z.boolean(),
  providers: z.array(ProviderConfigurationSchema),
});
export type RunnerConfigurationSchema = z.infer<typeof RunnerConfigurationSchema>;

export const ValidationStatus = z.enum([
  'not_validated',
  'pending',
  'valid',
  'invalid_credentials',
  'runner_offline',
  'provider_unreachable',
  'needs_new_secret',
  'oauth_disabled',
]);
export type ValidationStatus = z.infer<typeof ValidationStatus>;

export const IntegrationValidation = z.object({
  status: ValidationStatus,
  message: z.string().nullable(),
  checkedAt: z.string().nullable(),
});
export type IntegrationValidation = z.infer<typeof IntegrationValidation>;

export const ScmIntegration = z.object({
  id: z.string(),
  runnerId: z.string(),
  provider: ScmProviderId,
  host: z.string(),
  oauthEnabled: z.boolean(),
  /** Omitted for members: they see that an integration exists, not its OAuth client. */
  clientId: z.string().nullable().optional(),
  /** Never the secret or its ciphertext: only whether one is set, and the runner key it is sealed to. */
  hasClientSecret: z.boolean(),
  secretKeyId: z.string().nullable().optional(),
  /** True when the runner's key changed since the secret was sealed: an admin must enter it again. */
  secretNeedsReentry: z.boolean(),
  validation: IntegrationValidation,
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type ScmIntegration = z.infer<typeof ScmIntegration>;

export const ScmIntegrationList = z.object({ integrations: z.array(ScmIntegration), nextCursor: NextCursor });

const Host = z
  .string()
  .trim()
  .min(1, { error: 'Enter the provider host.' })
  .max(253, { error: 'That host is too long.' });
const ClientId = z
  .string()
  .trim()
  .min(1, { error: 'Enter the Client ID (Bitbucket calls it Key).' })
  .max(200, { error: 'That Client ID is too long: paste the Key only.' })
  .regex(/^[\x21-\x7e]+$/, { error: 'A Client ID has no spaces or special characters: paste the Key exactly.' });
/** A sealed client secret: a compact JWE made in the browser (see packages/envelope). */
// Same limit as packages/envelope's MAX_ENVELOPE_LENGTH (a 1024-character secret in 3-byte UTF-8 seals to ~5.9 KB).
const Envelope = z.string().min(1).max(8192, { error: 'The encrypted secret is too large.' });
const PlaintextSecret = z
  .string()
  .min(1, { error: 'Enter the Client Secret (Bitbucket calls it Secret).' })
  .max(1024, { error: 'That Client Secret is too long: paste the Secret only.' });

export const CreateScmIntegrationRequest = z
  .object({
    provider: ScmProviderId,
    host: Host,
    oauthEnabled: z.boolean(),
    clientId: ClientId.optional(),
    oauthClientSecretEnvelope: Envelope.optional(),
    /** For API clients only: the BFF seals it on arrival and never stores or logs it. */
    oauthPlaintextClientSecret: PlaintextSecret.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.oauthEnabled) return;
    if (!v.clientId) ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'Enter the Client ID (Bitbucket calls it Key).' });
    if (!v.oauthClientSecretEnvelope && !v.oauthPlaintextClientSecret) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'Enter the Client Secret (Bitbucket calls it Secret).' });
    }
    if (v.oauthClientSecretEnvelope && v.oauthPlaintextClientSecret) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'Send the secret once: either sealed or plaintext, not both.' });
    }
  });
export type CreateScmIntegrationRequest = z.infer<typeof CreateScmIntegrationRequest>;

/** Absent fields stay as they are; an absent secret stays "unchanged". */
export const UpdateScmIntegrationRequest = z
  .object({
    oauthEnabled: z.boolean().optional(),
    clientId: ClientId.optional(),
    oauthClientSecretEnvelope: Envelope.optional(),
    oauthPlaintextClientSecret: PlaintextSecret.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.oauthClientSecretEnvelope && v.oauthPlaintextClientSecret) {
      ctx.addIssue({ code: 'custom', path: ['clientSecret'], message: 'Send the secret once: either sealed or plaintext, not both.' });
    }
  });
export type UpdateScmIntegrationRequest = z.infer<typeof UpdateScmIntegrationRequest>;

/** The form the modal validates on blur and submit (plaintext secret, before it is sealed). */
export const ScmIntegrationForm = z.object({
  provider: ScmProviderId,
  oauthEnabled: z.boolean(),
  clientId: ClientId,
  clientSecret: PlaintextSecret,
});

/** Like the Gitpod API's ValidateRunnerConfiguration: an overall result plus per-field errors. */
export const ValidateScmIntegrationResponse = z.object({
  validation: IntegrationValidation,
  fieldErrors: z.object({ clientId: z.string().optional(), clientSecret: z.string().optional(), host: z.string().optional() }),
});
export type ValidateScmIntegrationResponse = z.infer<typeof ValidateScmIntegrationResponse>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const AuditLog = z.object({ entries: z.array(AuditEntry), nextCursor: NextCursor });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const IntegrationChangedEvent = z.object({
  type: z.literal('integration.changed'),
  runnerId: z.string(),
  integration: ScmIntegration.nullable(),
  integrationId: z.string(),
});

/** What the BFF pushes to a runner (link method `configure`): its integrations, with sealed secrets. */
export const RunnerIntegrationConfig = z.object({
  id: z.string(),
  provider: ScmProviderId,
  host: z.string(),
  oauthEnabled: z.boolean(),
  clientId: z.string().nullable(),
  clientSecretEnvelope: z.string().nullable(),
});
export type RunnerIntegrationConfig = z.infer<typeof RunnerIntegrationConfig>;
export const ConfigureRunnerParams = z.object({ integrations: z.array(RunnerIntegrationConfig) });

export const ValidateIntegrationParams = z.object({ integrationId: z.string() });
export const ValidateIntegrationResult = z.object({
  status: z.enum(['valid', 'invalid_credentials', 'provider_unreachable', 'needs_new_secret']),
  message: z.string(),
  field: z.enum(['clientId', 'clientSecret', 'host']).nullable(),
});
export type ValidateIntegrationResult = z.infer<typeof ValidateIntegrationResult>;
