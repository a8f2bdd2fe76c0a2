// Who a request to Azure DevOps is: an Entra access token (Bearer, or as the Basic password for
// git), or a personal access token as the Basic password with any (usually empty) user name
// (https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate).
import { hashOpaqueToken, readBasicCredentials } from '@runner-console/emulator-kit';
import type { Request } from 'express';
import type { EmulatorContext } from '../context.ts';
import { AZURE_DEVOPS_RESOURCE, type Repository, type User } from '../state.ts';

export interface Principal {
  user: User;
  via: 'oauth' | 'pat';
  scopes: ReadonlySet<string>;
  /** The organization a PAT was made for; null for Entra tokens (every organization of the tenant). */
  organization: string | null;
}

// https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/oauth#scopes
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  'vso.code_full': ['vso.code_write', 'vso.code_manage', 'vso.code_status'],
  'vso.code_manage': ['vso.code_write'],
  'vso.code_write': ['vso.code'],
  'vso.code_status': ['vso.code'],
  'vso.profile_write': ['vso.profile'],
};

function expand(scopes: readonly string[]): Set<string> {
  const out = new Set<string>();
  const add = (scope: string) => {
    if (out.has(scope)) return;
    out.add(scope);
    for (const implied of IMPLIES[scope] ?? []) add(implied);
  };
  for (const scope of scopes) add(scope);
  return out;
}

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function authenticate(context: EmulatorContext, req: Request): Promise<Principal | 'anonymous' | 'invalid'> {
  const header = req.get('authorization');
  if (!header) return 'anonymous';
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const secret = bearer ?? readBasicCredentials(req)?.password;
  if (!secret) return 'invalid';
  if (JWT.test(secret)) return (await fromAccessToken(context, secret)) ?? 'invalid';
  if (bearer) return 'invalid';
  const pat = context.state.pats.get(hashOpaqueToken(secret));
  if (!pat || pat.expiresAt <= context.clock.now()) return 'invalid';
  const user = context.state.users.get(pat.userId);
  if (!user) return 'invalid';
  return { user, via: 'pat', scopes: expand(pat.scopes), organization: pat.organization };
}

async function fromAccessToken(context: EmulatorContext, token: string): Promise<Principal | null> {
  const claims = await context.signer.verify(token, { audience: AZURE_DEVOPS_RESOURCE, now: context.clock.now() });
  if (!claims || typeof claims.oid !== 'string' || typeof claims.iat !== 'number') return null;
  const user = context.state.users.get(claims.oid);
  if (!user) return null;
  const issued = typeof claims.uti === 'string' ? context.state.accessTokens.get(claims.uti) : undefined;
  if (!issued || issued.expired) return null;
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  return { user, via: 'oauth', scopes: expand(scopes), organization: null };
}

/** What a principal may do in a repository: nothing (it stays invisible), read or write. */
export function repositoryAccess(principal: Principal, repository: Repository): 'none' | 'read' | 'write' {
  if (principal.organization !== null && principal.organization !== repository.organization) return 'none';
  const member = repository.members.get(principal.user.id);
  if (!member || !principal.scopes.has('vso.code')) return 'none';
  return member === 'write' && principal.scopes.has('vso.code_write') ? 'write' : 'read';
}
