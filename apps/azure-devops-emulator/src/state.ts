// What the two emulators hold: Entra's tenant, users, app registrations and consents, and Azure
// DevOps' organization, project, repository, pull request and personal access tokens. The seed is
// made again at every start; registrations, consents and tokens come back from state-file.ts.
import { randomUUID } from 'node:crypto';
import { generateAlphanumeric, hashOpaqueToken } from '@runner-console/emulator-kit';

/** Azure DevOps' resource (application) id in Entra: https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/entra-oauth */
export const AZURE_DEVOPS_RESOURCE = '499b84ac-1321-427f-aa17-267ca6975798';

export interface User {
  /** Entra's object id (oid) and Azure DevOps' profile id. */
  id: string;
  /** The MemorySessions id of the sign-in pages. */
  sessionId: number;
  username: string;
  password: string;
  displayName: string;
  email: string;
  tenantId: string;
}

export interface Tenant {
  id: string;
  /** The name a tenant can be addressed by besides its id (`acme`, as `acme.onmicrosoft.com` would be). */
  name: string;
}

export interface AppRegistration {
  clientId: string;
  tenantId: string;
  name: string;
  redirectUris: string[];
  secretHash: string;
  secretExpiresAt: number;
}

export interface PersonalAccessToken {
  userId: string;
  organization: string;
  scopes: string[];
  expiresAt: number;
}

export interface PullRequest {
  id: number;
  title: string;
  description: string;
  sourceBranch: string;
  targetBranch: string;
  createdBy: string;
  creationDate: string;
}

export interface Repository {
  id: string;
  name: string;
  organization: string;
  project: { id: string; name: string };
  defaultBranch: string;
  /** The users who may read it, and whether they may push. */
  members: Map<string, 'read' | 'write'>;
  pullRequests: PullRequest[];
}

/** The grant behind an authorization code or a refresh token. */
export interface EntraGrant {
  userId: string;
  tenantId: string;
  clientId: string;
  /** As requested, e.g. `499b84ac-…/vso.code_write openid profile email offline_access`. */
  scopes: string[];
}

export class EmulatorState {
  readonly tenants = new Map<string, Tenant>();
  readonly users = new Map<string, User>();
  readonly apps = new Map<string, AppRegistration>();
  /** `${userId} ${clientId}`: the user consented to the app's delegated permissions. */
  readonly consents = new Set<string>();
  readonly pats = new Map<string, PersonalAccessToken>();
  readonly organizations = new Map<string, { id: string; name: string; members: Set<string> }>();
  readonly repositories: Repository[] = [];
  /** Access tokens by their `uti` claim, with their user; the test API's "expire" ends them early. */
  readonly accessTokens = new Map<string, { userId: string; expired: boolean }>();

  findTenant(idOrName: string): Tenant | undefined {
    const key = idOrName.toLowerCase();
    return [...this.tenants.values()].find((tenant) => tenant.id === key || tenant.name === key || `${tenant.name}.onmicrosoft.com` === key);
  }

  findUserByLogin(login: string): User | undefined {
    const key = login.toLowerCase();
    return [...this.users.values()].find((user) => user.username === key || user.email === key);
  }

  findUserBySession(sessionId: number): User | undefined {
    return [...this.users.values()].find((user) => user.sessionId === sessionId);
  }

  findRepository(organization: string, project: string, repository: string): Repository | undefined {
    const [o, p, r] = [organization.toLowerCase(), project.toLowerCase(), repository.toLowerCase()];
    return this.repositories.find(
      (repo) => repo.organization === o && (repo.project.name.toLowerCase() === p || repo.project.id === p) && (repo.name.toLowerCase() === r || repo.id === r),
    );
  }

  registerApp(input: { tenantId: string; name: string; redirectUri: string }): { app: AppRegistration; secret: string } {
    // Entra secrets are 40 characters with a `~` near the start; this shape is ours.
    const secret = `${generateAlphanumeric(3)}8Q~${generateAlphanumeric(34)}`;
    const app: AppRegistration = {
      clientId: randomUUID(),
      tenantId: input.tenantId,
      name: input.name,
      redirectUris: [input.redirectUri],
      secretHash: hashOpaqueToken(secret),
      // Entra's default secret lifetime is 180 days.
      secretExpiresAt: Date.now() + 180 * 86_400_000,
    };
    this.apps.set(app.clientId, app);
    return { app, secret };
  }

  createPat(input: PersonalAccessToken): string {
    // Classic Azure DevOps PATs: 52 characters of base32 in lower case.
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const token = Array.from(generateAlphanumeric(52), (c) => alphabet[c.charCodeAt(0) % 32]).join('');
    this.pats.set(hashOpaqueToken(token), input);
    return token;
  }
}

/** alice (and bob, who is in the tenant but not a member of acme/widgets), tenant acme, org acme, project and repository widgets. */
export function seedState(state: EmulatorState): void {
  const tenant: Tenant = { id: '8e6c3e2a-5b4d-4c1f-9a7e-3d2b1c0f9e8d', name: 'acme' };
  state.tenants.set(tenant.id, tenant);
  const alice: User = { id: '6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e', sessionId: 1, username: 'alice', password: 'alice', displayName: 'Alice', email: 'alice@acme.test', tenantId: tenant.id };
  const bob: User = { id: '7a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', sessionId: 2, username: 'bob', password: 'bob', displayName: 'Bob', email: 'bob@acme.test', tenantId: tenant.id };
  state.users.set(alice.id, alice);
  state.users.set(bob.id, bob);
  state.organizations.set('acme', { id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', name: 'acme', members: new Set([alice.id, bob.id]) });
  state.repositories.push({
    id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
    name: 'widgets',
    organization: 'acme',
    project: { id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', name: 'widgets' },
    defaultBranch: 'main',
    members: new Map([[alice.id, 'write']]),
    pullRequests: [
      {
        id: 1,
        title: 'Add login form',
        description: 'Adds a login form so that people can sign in to the widget catalogue.',
        sourceBranch: 'feature/login',
        targetBranch: 'main',
        createdBy: alice.id,
        creationDate: '2024-01-10T14:05:00Z',
      },
    ],
  });
}
