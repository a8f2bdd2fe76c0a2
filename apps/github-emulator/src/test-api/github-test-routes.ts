import { generateAlphanumeric, generatePrefixedToken, hashOpaqueToken, sendTestApiError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { GitHubContext } from '../context.ts';
import type { Account, OAuthClient, Repository } from '../state.ts';

const login = z.string().trim().min(1).max(39);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const level = z.enum(['read', 'write']);
const permissions = z.record(z.string().regex(/^[a-z_]{1,40}$/, 'must be a permission name such as contents'), level);
const expiresAt = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).or(z.iso.date()).nullable().optional();

const oauthAppSchema = z.object({ owner: login, name: z.string().trim().min(1).max(100), callbackUrl: httpUrl }).strict();
const githubAppSchema = oauthAppSchema.extend({ permissions: permissions.default({ contents: 'write', pull_requests: 'read', metadata: 'read', emails: 'read' }) }).strict();
const installationSchema = z.object({ account: login, repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')).min(1).max(100) }).strict();
const tokenSchema = z.discriminatedUnion('type', [
  z.object({ username: login, type: z.literal('classic'), scopes: z.array(z.string().min(1).max(50)).max(50), expiresAt }).strict(),
  z
    .object({
      username: login,
      type: z.literal('fine-grained'),
      repositories: z.array(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name')).max(100),
      permissions,
      expiresAt,
    })
    .strict(),
]);
const revokeSchema = z.object({ username: login, clientId: z.string().min(1).optional() }).strict();
const expireSchema = z.object({ username: login, kind: z.enum(['access', 'refresh']) }).strict();

/** A bare date means the end of that day (UTC). */
function expiryOf(value: string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T23:59:59Z`) : Date.parse(value);
}

/** GitHub's own paths: OAuth Apps, GitHub Apps and their installations, personal access tokens. */
export function addGitHubTestRoutes(router: Router, context: GitHubContext): void {
  const { state } = context;
  const findAccount = (name: string): Account | undefined => state.accounts.get(name.toLowerCase());
  const findRepositories = (names: readonly string[]): Repository[] | string => {
    const found: Repository[] = [];
    for (const name of names) {
      const repo = state.findRepositoryByFullName(name);
      if (!repo) return name;
      found.push(repo);
    }
    return found;
  };

  const createClient = (kind: OAuthClient['kind'], owner: Account, name: string, callbackUrl: string): { client: OAuthClient; secret: string } => {
    const secret = generateAlphanumeric(40).toLowerCase();
    const clientId = kind === 'oauth-app' ? `Ov23li${generateAlphanumeric(14)}` : `Iv23li${generateAlphanumeric(14)}`;
    const client: OAuthClient = { kind, clientId, clientSecretHash: hashOpaqueToken(secret), name, owner, callbackUrl, installations: [] };
    state.clients.set(clientId, client);
    return { client, secret };
  };

  // What Settings › Developer settings › OAuth Apps › New OAuth App does.
  router.post('/_emulator/oauth-apps', (req, res) => {
    const parsed = oauthAppSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const owner = findAccount(parsed.data.owner);
    if (!owner) return sendTestApiError(res, 404, 'not_found', `Account "${parsed.data.owner}" does not exist.`);
    const { client, secret } = createClient('oauth-app', owner, parsed.data.name, parsed.data.callbackUrl);
    res.status(201).json({ clientId: client.clientId, clientSecret: secret });
  });

  // What Settings › Developer settings › GitHub Apps › New GitHub App does (user tokens expire).
  router.post('/_emulator/github-apps', (req, res) => {
    const parsed = githubAppSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const owner = findAccount(parsed.data.owner);
    if (!owner) return sendTestApiError(res, 404, 'not_found', `Account "${parsed.data.owner}" does not exist.`);
    const slug = slugify(parsed.data.name);
    if ([...state.clients.values()].some((client) => client.slug === slug)) {
      return sendTestApiError(res, 409, 'conflict', `A GitHub App named "${slug}" already exists. Choose another name.`);
    }
    const { client, secret } = createClient('github-app', owner, parsed.data.name, parsed.data.callbackUrl);
    client.slug = slug;
    client.appId = state.newId();
    client.permissions = parsed.data.permissions;
    res.status(201).json({
      appId: client.appId,
      slug,
      clientId: client.clientId,
      clientSecret: secret,
      installUrl: `${context.origins.web}/apps/${slug}/installations/new`,
    });
  });

  // Installing the app on an account's repositories ("Only select repositories").
  router.post('/_emulator/github-apps/:slug/installations', (req, res) => {
    const client = [...state.clients.values()].find((candidate) => candidate.slug === req.params.slug);
    if (!client) return sendTestApiError(res, 404, 'not_found', `No GitHub App has the slug "${req.params.slug}".`);
    const parsed = installationSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const account = findAccount(parsed.data.account);
    if (!account) return sendTestApiError(res, 404, 'not_found', `Account "${parsed.data.account}" does not exist.`);
    const repositories = findRepositories(parsed.data.repositories);
    if (typeof repositories === 'string') return sendTestApiError(res, 404, 'not_found', `Repository "${repositories}" does not exist.`);
    const foreign = repositories.find((repo) => repo.owner.id !== account.id);
    if (foreign) return sendTestApiError(res, 400, 'invalid_request', `${foreign.owner.login}/${foreign.name} does not belong to ${account.login}.`);
    const existing = client.installations.find((installation) => installation.account.id === account.id);
    state.installApp(client, repositories);
    const installation = client.installations.find((candidate) => candidate.account.id === account.id);
    if (!installation) throw new Error('installation missing after install');
    res.status(existing ? 200 : 201).json({
      installationId: installation.id,
      account: account.login,
      repositories: [...installation.repositoryIds].map((id) => state.repositories.get(id)).filter((repo) => repo !== undefined).map((repo) => `${repo.owner.login}/${repo.name}`),
    });
  });

  // Settings › Developer settings › Personal access tokens (classic ghp_… or fine-grained github_pat_…).
  router.post('/_emulator/personal-access-tokens', (req, res) => {
    const parsed = tokenSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByLogin(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const expires = expiryOf(parsed.data.expiresAt);
    if (parsed.data.type === 'classic') {
      const token = generatePrefixedToken('ghp_');
      state.addToken(token, { kind: 'classic', userId: user.id, scopes: parsed.data.scopes, expiresAt: expires, revoked: false });
      return res.status(201).json({ token });
    }
    const repositories = findRepositories(parsed.data.repositories);
    if (typeof repositories === 'string') return sendTestApiError(res, 404, 'not_found', `Repository "${repositories}" does not exist.`);
    const token = `github_pat_${generateAlphanumeric(22)}_${generateAlphanumeric(59)}`;
    state.addToken(token, {
      kind: 'fine-grained',
      userId: user.id,
      scopes: [],
      repositoryIds: new Set(repositories.map((repo) => repo.id)),
      permissions: { metadata: 'read', ...parsed.data.permissions },
      expiresAt: expires,
      revoked: false,
    });
    res.status(201).json({ token });
  });

  // What "Revoke" under Settings › Applications › Authorized apps does.
  router.post('/_emulator/grants/revoke', (req, res) => {
    const parsed = revokeSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByLogin(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const clientIds = parsed.data.clientId === undefined ? [...state.clients.keys()] : [parsed.data.clientId];
    let revoked = 0;
    for (const clientId of clientIds) revoked += state.revokeGrant(user.id, clientId);
    context.refreshTokens.revokeWhere((grant) => grant.userId === user.id && clientIds.includes(grant.clientId));
    res.json({ revoked });
  });

  // A user's expiring tokens (App user tokens, expiring PATs) expire now, or their refresh tokens.
  router.post('/_emulator/tokens/expire', (req, res) => {
    const parsed = expireSchema.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = state.findUserByLogin(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `User "${parsed.data.username}" does not exist.`);
    const now = context.clock.now();
    if (parsed.data.kind === 'refresh') {
      return res.json({ expired: context.refreshTokens.expireWhere((grant) => grant.userId === user.id) });
    }
    let expired = 0;
    for (const token of state.tokens.values()) {
      if (token.userId === user.id && token.expiresAt !== null && token.expiresAt > now && !token.revoked) {
        token.expiresAt = now;
        expired += 1;
      }
    }
    res.json({ expired });
  });
}

function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'app';
}
