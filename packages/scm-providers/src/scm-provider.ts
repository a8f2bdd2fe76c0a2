// The shape of one provider's facts. The values live in scm-provider-catalogue.ts.

import type { ScmProviderId } from './provider-ids.ts';
export type { ScmProviderId };

/** A scope the runner needs, with the checkbox an admin ticks for it and why we need it. */
export type ScopeRequirement = {
  /** The scope as the provider names it in the token response, e.g. `repository:write`. */
  scope: string;
  /** The label of the checkbox on the provider's OAuth consumer form, e.g. `Repositories: Write`. */
  checkbox: string;
  /** Why Runner Console needs it, written for an admin, e.g. `push`. */
  reason: string;
};

/** A single-path SVG mark, drawn for `fill="currentColor"`. */
export type ScmProviderIcon = {
  viewBox: string;
  path: string;
};

export type ScmProviderDocs = {
  /** How to create the OAuth consumer / app whose client id and secret the admin pastes. */
  oauthConsumerUrl: string;
  /** Where a user sees and revokes the apps they authorized. */
  appAuthorizationsUrl?: string;
  /** The provider's reference for its OAuth scopes. */
  scopesUrl?: string;
};

export type ScmProviderOAuth = {
  /** Paths on the provider's web origin (`https://{host}`), not its API origin. */
  authorizePath: string;
  tokenPath: string;
  /** Path prefix of the REST API on the provider's API origin. */
  apiBasePath: string;
  /**
   * Path of a token revocation endpoint, or null when the provider has none; the UI then points
   * users to `docs.appAuthorizationsUrl` to revoke access themselves.
   */
  revokeEndpoint: string | null;
  requiredScopes: readonly ScopeRequirement[];
  /** What the provider's consumer form calls the client id and secret. */
  clientIdLabel: string;
  clientSecretLabel: string;
  /**
   * Present when the OAuth server is an identity provider with tenants (Microsoft Entra ID): the
   * integration names its tenant (an id, a domain or the issuer URL), and the runner finds the
   * endpoints through OpenID discovery of `{authority}/{tenant}/v2.0`.
   */
  tenant?: {
    label: string;
    help: string;
    /** The cloud authority's origin, e.g. https://login.microsoftonline.com. */
    authority: string;
  };
};

/** A provider's self-managed product at any host (Azure DevOps Server), when it differs from the cloud's. */
export type ScmProviderSelfManaged = {
  name: string;
  /** False when the self-managed product has no OAuth: the modal offers tokens only. */
  oauth: boolean;
  /** The path on the host every repository lives under (Azure DevOps Server's collection). */
  virtualDirectory?: { label: string; example: string; help: string };
};

/** Personal access tokens (Bitbucket: API tokens), the other way for a developer to connect. */
export type ScmProviderApiTokens = {
  /** What the provider calls them, e.g. `API token`. */
  label: string;
  /** Where a developer creates one (on bitbucket.org: the Atlassian account's security page). */
  createUrl: string;
  /** The link text for `createUrl`, e.g. `Atlassian’s API token page`. */
  createPageLabel: string;
  /** The label of the account e-mail field, for providers whose REST API takes it (`restUsername: 'email'`). */
  accountEmailLabel?: string;
  /** The provider's guide to creating and using them. */
  docsUrl: string;
  /** The scopes to tick when creating the token, with the form's label and why we need each. */
  requiredScopes: readonly ScopeRequirement[];
  /** Longest lifetime the provider allows, in days. */
  maxLifetimeDays: number;
  /** The git username that goes with any token (the account's username works too). */
  gitUsername: string;
  /**
   * How the REST API takes the token: `email` (Basic with the account e-mail, Bitbucket),
   * `bearer` (GitHub) or `basic` (Basic with an empty user name, Azure DevOps).
   */
  restUsername: 'email' | 'bearer' | 'basic';
};

/**
 * A kind of OAuth client a provider offers for signing developers in (GitHub: OAuth App or GitHub
 * App). The integration modal lets the admin choose one and shows its steps; the runner needs no
 * choice, since both use the same flow.
 */
export type OAuthClientKind = {
  id: string;
  label: string;
  /** One sentence: what choosing it means. */
  summary: string;
  /** Where an admin registers one: a path on `https://{host}`, or an absolute URL elsewhere. */
  registerPath: string;
  /** The steps on the provider's side, in order, for an admin. */
  steps: readonly string[];
  /** An app's install link, a path on `https://{host}` with `{slug}` (the app's URL name); null when there is nothing to install. */
  installPath: string | null;
  /** Permissions to set (apps); null when the scopes (`oauth.requiredScopes`) say it. */
  permissions: readonly { name: string; access: string; reason: string }[] | null;
};

export type ScmProvider = {
  id: ScmProviderId;
  /** Display name, e.g. `Bitbucket`. */
  name: string;
  /**
   * True once the runner has an adapter for the provider (apps/runner/src/providers/<id>/);
   * until then the picker shows it as not available and the BFF refuses integrations for it.
   */
  supported: boolean;
  /** A sentence for the UI when `supported` is false, e.g. `GitHub is not available yet.` */
  unsupportedReason?: string;
  /** The cloud host; empty for a self-hosted-only product (Bitbucket Data Center), whose host the admin types. */
  defaultHost: string;
  /** An example host for hints and messages when there is no default (`bitbucket.example.com`). */
  hostExample?: string;
  /** Hosts that are another provider's, with what to tell someone who types one (Bitbucket Cloud typed as a Data Center host). */
  refusedHosts?: readonly { hosts: readonly string[]; message: string }[];
  /** False when only the default host is supported (Bitbucket Cloud, not Data Center). */
  hostEditable: boolean;
  /** When hostEditable is false: what to tell someone who gives another host. */
  selfHostedUnsupportedMessage?: string;
  icon: ScmProviderIcon;
  docs: ScmProviderDocs;
  /** The kinds of OAuth client to choose from, when the provider has more than one. */
  oauthClientKinds?: readonly OAuthClientKind[];
  /** Present for providers the runner can connect to. */
  oauth?: ScmProviderOAuth;
  /** The self-managed product, when it has its own shape (a path on the host, no OAuth). */
  selfManaged?: ScmProviderSelfManaged;
  /** Present for providers that also take personal access tokens. */
  apiTokens?: ScmProviderApiTokens;
  /**
   * What the provider calls a pull request and how it writes its number, when not "Pull request"
   * and `#1` (GitLab: "Merge request", `!1`).
   */
  pullRequestWording?: { name: string; numberPrefix: string };
};
