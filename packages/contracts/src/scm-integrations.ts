import * as z from 'zod/mini';
import { scmProviderIds } from '@runner-console/scm-providers/provider-ids';
import { noForbiddenCharacters } from './text-input.ts';
import { NextCursor } from './pagination.ts';

// The ids are declared once, in scm-providers (a list of strings: no code of it reaches contracts' users).
export const ScmProviderId = z.enum(scmProviderIds);
export type ScmProviderId = z.infer<typeof ScmProviderId>;

export const ScopeRequirement = z.object({
  scope: z.string(),
  checkbox: z.string(),
  reason: z.string(),
});

/** Per provider, what the "Add a new provider" modal needs: names, host, callback URL, scopes, docs. */
export const ProviderConfigurationSchema = z.object({
  id: ScmProviderId,
  name: z.string(),
  supported: z.boolean(),
  unsupportedReason: z.nullable(z.string()),
  defaultHost: z.string(),
  hostEditable: z.boolean(),
  /** The runner's OAuth callback URL, to paste into the provider's OAuth consumer. Null until the runner has connected. */
  callbackUrl: z.nullable(z.string()),
  requiredScopes: z.array(ScopeRequirement),
  clientIdLabel: z.nullable(z.string()),
  clientSecretLabel: z.nullable(z.string()),
  docsUrl: z.nullable(z.string()),
  /**
   * The kinds of OAuth client the admin may register (GitHub: OAuth App or GitHub App), with the
   * steps on the provider's side; absent when the provider has one kind. Paths are on https://{host}.
   */
  clientKinds: z.optional(
    z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        summary: z.string(),
        registerPath: z.string(),
        steps: z.array(z.string()),
        installPath: z.nullable(z.string()),
        permissions: z.nullable(z.array(z.object({ name: z.string(), access: z.string(), reason: z.string() }))),
      }),
    ),
  ),
  /** For OAuth servers with tenants (Microsoft Entra ID): the tenant field's label and help, and the authority. */
  tenant: z.optional(z.nullable(z.object({ label: z.string(), help: z.string(), authority: z.string() }))),
  /** The self-managed product, when it differs from the cloud's (no OAuth, a collection path). */
  selfManaged: z.optional(
    z.nullable(
      z.object({
        name: z.string(),
        oauth: z.boolean(),
        virtualDirectory: z.nullable(z.object({ label: z.string(), example: z.string(), help: z.string() })),
      }),
    ),
  ),
  /** Personal access tokens (Bitbucket API tokens), when the provider takes them. */
  apiTokens: z.optional(
    z.nullable(
      z.object({
        label: z.string(),
        createUrl: z.string(),
        /** The link text for createUrl, e.g. "Atlassian’s API token page". */
        createPageLabel: z.string(),
        docsUrl: z.string(),
        requiredScopes: z.array(ScopeRequirement),
        maxLifetimeDays: z.number(),
      }),
    ),
  ),
});
export type ProviderConfigurationSchema = z.infer<typeof ProviderConfigurationSchema>;

export const RunnerConfigurationSchema = z.object({
  runnerId: z.string(),
  /** The key secrets must be sealed to; null when the runner has not registered one yet. */
  publicKey: z.nullable(
    z.object({
      kty: z.enum(['EC', 'OKP']),
      crv: z.enum(['P-256', 'X25519']),
      x: z.string(),
      y: z.optional(z.string()),
      kid: z.string(),
    }),
  ),
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
  /** The runner now answers at another public URL than the OAuth consumer was set up with. */
  'callback_url_changed',
]);
export type ValidationStatus = z.infer<typeof ValidationStatus>;

export const IntegrationValidation = z.object({
  status: ValidationStatus,
  message: z.nullable(z.string()),
  checkedAt: z.nullable(z.string()),
});
export type IntegrationValidation = z.infer<typeof IntegrationValidation>;

export const ScmIntegration = z.object({
  id: z.string(),
  runnerId: z.string(),
  provider: ScmProviderId,
  host: z.string(),
  oauthEnabled: z.boolean(),
  /** Developers may connect with a personal access token (Bitbucket API token). */
  patEnabled: z.boolean(),
  /** Omitted for members: they see that an integration exists, not its OAuth client. */
  clientId: z.optional(z.nullable(z.string())),
  /**
   * For OAuth through an identity provider with tenants: the tenant's issuer URL, whose OpenID
   * discovery gives the authorize and token endpoints. Null otherwise.
   */
  issuerUrl: z.optional(z.nullable(z.string())),
  /** The path on the host every repository lives under (a self-managed server's collection); null: none. */
  virtualDirectory: z.optional(z.nullable(z.string())),
  /** Never the secret or its ciphertext: only whether one is set, and the runner key it is sealed to. */
  hasClientSecret: z.boolean(),
  secretKeyId: z.optional(z.nullable(z.string())),
  /** True when the runner's key changed since the secret was sealed: an admin must enter it again. */
  secretNeedsReentry: z.boolean(),
  validation: IntegrationValidation,
  /** The callback URL this integration's OAuth consumer was set up with (null for OAuth off). */
  callbackUrl: z.nullable(z.string()),
  /**
   * Set when the runner now uses another callback URL: paste this one into the OAuth consumer, then
   * confirm it (PATCH callbackUrl). Until then Validate and Connect fail with "Callback URL changed".
   */
  newCallbackUrl: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.nullable(z.string()),
});
export type ScmIntegration = z.infer<typeof ScmIntegration>;

export const ScmIntegrationList = z.object({
  integrations: z.array(ScmIntegration),
  nextCursor: NextCursor,
});

const Host = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Enter the provider host.' }),
    z.maxLength(253, { error: 'That host is too long.' }),
    noForbiddenCharacters,
  );
const ClientId = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Enter the Client ID.' }),
    z.maxLength(200, { error: 'That Client ID is too long: paste the Client ID only.' }),
    z.regex(/^[\x21-\x7e]+$/, {
      error: 'A Client ID has no spaces or special characters: paste it exactly.',
    }),
  );
/**
 * A tenant's issuer: an https URL (http on a loopback host, for emulators) without credentials,
 * query or fragment. The provider module turns a bare tenant id or domain into one before it is sent.
 */
const IssuerUrl = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, { error: 'Enter the tenant.' }),
    z.maxLength(300, { error: 'That issuer URL is too long.' }),
    noForbiddenCharacters,
    z.refine((value) => {
      try {
        const url = new URL(value);
        const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
        return (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && !url.username && !url.password && !url.search && !url.hash;
      } catch {
        return false;
      }
    }, { error: 'Enter the tenant as its directory ID, its domain, or its issuer URL (https://…/v2.0).' }),
  );
/** Path segments of letters, digits, `-`, `_`, `.` and `~`, without a leading or trailing slash. */
const VirtualDirectory = z
  .string()
  .check(
    z.trim(),
    z.maxLength(200, { error: 'That path is too long.' }),
    z.regex(/^$|^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, { error: 'Enter the path without the host, such as DefaultCollection.' }),
  );
/** A sealed client secret: a compact JWE made in the browser (see packages/envelope). */
// Same limit as packages/envelope's MAX_ENVELOPE_LENGTH (a 1024-character secret in 3-byte UTF-8 seals to ~5.9 KB).
const Envelope = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(8192, { error: 'The encrypted secret is too large.' }),
    z.regex(/^[A-Za-z0-9_.-]+$/, { error: 'The encrypted secret is damaged. Enter the secret again.' }),
  );
/** Trimmed: a secret pasted with a space or newline around it is the secret. */
const PlaintextSecret = z
  .string()
  .check(
    z.trim(),
    noForbiddenCharacters,
    z.minLength(1, { error: 'Enter the Client Secret.' }),
    z.maxLength(1024, { error: 'That Client Secret is too long: paste the Secret only.' }),
  );

export const NO_METHOD_MESSAGE =
  'Developers need a way to connect: turn on OAuth, personal access tokens, or both.';

export const CreateScmIntegrationRequest = z
  .strictObject({
    provider: ScmProviderId,
    host: Host,
    oauthEnabled: z.boolean(),
    /** Personal access tokens; absent means off. An integration offers OAuth, tokens, or both. */
    patEnabled: z.optional(z.boolean()),
    clientId: z.optional(ClientId),
    /** The tenant's issuer URL, for providers whose OAuth has tenants (catalogue `oauth.tenant`). */
    issuerUrl: z.optional(IssuerUrl),
    /** The collection path on a self-managed server (catalogue `selfManaged.virtualDirectory`). */
    virtualDirectory: z.optional(VirtualDirectory),
    oauthClientSecretEnvelope: z.optional(Envelope),
    /** For API clients only: the BFF seals it on arrival and never stores or logs it. */
    oauthPlaintextClientSecret: z.optional(PlaintextSecret),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (!v.oauthEnabled && !v.patEnabled) {
        ctx.addIssue({ code: 'custom', path: ['oauthEnabled'], message: NO_METHOD_MESSAGE });
      }
      if (!v.oauthEnabled) return;
      if (!v.clientId)
        ctx.addIssue({
          code: 'custom',
          path: ['clientId'],
          message: 'Enter the Client ID.',
        });
      if (!v.oauthClientSecretEnvelope && !v.oauthPlaintextClientSecret) {
        ctx.addIssue({
          code: 'custom',
          path: ['clientSecret'],
          message: 'Enter the Client Secret.',
        });
      }
      if (v.oauthClientSecretEnvelope && v.oauthPlaintextClientSecret) {
        ctx.addIssue({
          code: 'custom',
          path: ['clientSecret'],
          message: 'Send the secret once: either sealed or plaintext, not both.',
        });
      }
    }),
  );
export type CreateScmIntegrationRequest = z.infer<typeof CreateScmIntegrationRequest>;

/** Absent fields stay as they are; an absent secret stays "unchanged". */
export const UpdateScmIntegrationRequest = z
  .strictObject({
    oauthEnabled: z.optional(z.boolean()),
    patEnabled: z.optional(z.boolean()),
    clientId: z.optional(ClientId),
    issuerUrl: z.optional(IssuerUrl),
    oauthClientSecretEnvelope: z.optional(Envelope),
    oauthPlaintextClientSecret: z.optional(PlaintextSecret),
    /**
     * "I pasted this callback URL into the OAuth consumer": must be the runner's current callback
     * URL (newCallbackUrl); it becomes the integration's callback URL.
     */
    callbackUrl: z.optional(z.string().check(z.maxLength(400))),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.oauthClientSecretEnvelope && v.oauthPlaintextClientSecret) {
        ctx.addIssue({
          code: 'custom',
          path: ['clientSecret'],
          message: 'Send the secret once: either sealed or plaintext, not both.',
        });
      }
    }),
  );
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
  fieldErrors: z.object({
    clientId: z.optional(z.string()),
    clientSecret: z.optional(z.string()),
    host: z.optional(z.string()),
    issuerUrl: z.optional(z.string()),
  }),
});
export type ValidateScmIntegrationResponse = z.infer<typeof ValidateScmIntegrationResponse>;

export const AuditEntry = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.nullable(z.string()),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const AuditLog = z.object({ entries: z.array(AuditEntry), nextCursor: NextCursor });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const IntegrationChangedEvent = z.object({
  type: z.literal('integration.changed'),
  runnerId: z.string(),
  integration: z.nullable(ScmIntegration),
  integrationId: z.string(),
});

/** What the BFF pushes to a runner (link method `configure`): its integrations, with sealed secrets. */
export const RunnerIntegrationConfig = z.object({
  id: z.string(),
  provider: ScmProviderId,
  host: z.string(),
  oauthEnabled: z.boolean(),
  /** Absent from older BFFs: off. */
  patEnabled: z.optional(z.boolean()),
  clientId: z.nullable(z.string()),
  clientSecretEnvelope: z.nullable(z.string()),
  /** Absent from older BFFs: none. */
  issuerUrl: z.optional(z.nullable(z.string())),
  virtualDirectory: z.optional(z.nullable(z.string())),
});
export type RunnerIntegrationConfig = z.infer<typeof RunnerIntegrationConfig>;
export const ConfigureRunnerParams = z.object({ integrations: z.array(RunnerIntegrationConfig) });

export const ValidateIntegrationParams = z.object({ integrationId: z.string() });
/**
 * Link method `validateCandidate`: check a configuration the BFF has not stored yet (a new Key or
 * Secret), so a wrong one is refused before it replaces a working one. The runner keeps nothing.
 */
export const ValidateCandidateParams = z.object({ integration: RunnerIntegrationConfig });
export const ValidateIntegrationResult = z.object({
  status: z.enum(['valid', 'invalid_credentials', 'provider_unreachable', 'needs_new_secret']),
  message: z.string(),
  field: z.nullable(z.enum(['clientId', 'clientSecret', 'host', 'issuerUrl'])),
});
export type ValidateIntegrationResult = z.infer<typeof ValidateIntegrationResult>;
