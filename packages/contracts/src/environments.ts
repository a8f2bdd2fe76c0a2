import * as z from 'zod/mini';
import { noForbiddenCharacters } from './text-input.ts';
import { NextCursor } from './pagination.ts';

export const EnvironmentPhase = z.enum(['creating', 'cloning', 'ready', 'failed']);

export const ParsedContext = z.object({
  host: z.string(),
  owner: z.string(),
  repo: z.string(),
  /**
   * The runner's own clone URL, for display and as a check: in createWorkspace the runner builds the
   * URL again from its configured endpoints and refuses any other. Optional, so the BFF need not send it.
   */
  cloneUrl: z.optional(z.string()),
  kind: z.enum(['repository', 'branch', 'tag', 'commit', 'pullRequest']),
  /** The branch or tag to check out; for a commit, its branch when the link named one (then the commit is checked out on it), else the hash. */
  ref: z.string(),
  refType: z.enum(['branch', 'tag', 'commit']),
  commit: z.string(),
  pullRequest: z.nullable(
    z.object({
      id: z.number(),
      title: z.string(),
      sourceBranch: z.string(),
      targetBranch: z.string(),
    }),
  ),
  author: z.object({ name: z.string(), email: z.nullable(z.string()) }),
});
export type ParsedContext = z.infer<typeof ParsedContext>;

export const Environment = z.object({
  id: z.string(),
  runnerId: z.string(),
  runnerName: z.string(),
  contextUrl: z.string(),
  phase: EnvironmentPhase,
  message: z.nullable(z.string()),
  context: z.nullable(ParsedContext),
  /** The workspace folder on the runner's machine, once the runner has reported it. */
  workspacePath: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Environment = z.infer<typeof Environment>;

export const EnvironmentList = z.object({
  environments: z.array(Environment),
  nextCursor: NextCursor,
});

export const CreateEnvironmentRequest = z.strictObject({
  contextUrl: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, {
        error: 'Paste a repository, branch, commit or pull request URL.',
      }),
      z.maxLength(2000, { error: 'That URL is too long.' }),
      noForbiddenCharacters,
    ),
  runnerId: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, { error: 'Choose a runner.' }),
      z.maxLength(100, { error: 'That runner id is too long.' }),
      noForbiddenCharacters,
    ),
});
export type CreateEnvironmentRequest = z.infer<typeof CreateEnvironmentRequest>;

export const EnvironmentChangedEvent = z.object({
  type: z.literal('environment.changed'),
  environment: Environment,
});
export const EnvironmentDeletedEvent = z.object({
  type: z.literal('environment.deleted'),
  environmentId: z.string(),
});

// ---- runner link methods ----
export const ParseContextParams = z.object({ userId: z.string(), contextUrl: z.string() });
export const CreateWorkspaceParams = z.object({
  environmentId: z.string(),
  userId: z.string(),
  context: ParsedContext,
});
export const EnvironmentUpdateParams = z.object({
  environmentId: z.string(),
  phase: EnvironmentPhase,
  message: z.nullable(z.string().check(z.maxLength(2000))),
  workspacePath: z.optional(z.nullable(z.string().check(z.maxLength(4096)))),
});
/** Link method `deleteWorkspace`: the runner removes the environment's workspace folder. */
export const DeleteWorkspaceParams = z.object({ environmentId: z.string() });
export const DeleteWorkspaceResult = z.object({ removed: z.boolean() });
