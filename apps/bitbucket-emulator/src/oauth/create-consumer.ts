import { z } from 'zod';
import type { Clock } from '@runner-console/emulator-kit';
import type { Consumer, ConsumerStore } from '../store/consumer-store.ts';
import type { RepositoryStore, Workspace } from '../store/repository-store.ts';
import type { User } from '../store/user-store.ts';
import { generateAlphanumeric } from '@runner-console/emulator-kit';
import { scopeSchema, sortScopes } from './scopes.ts';

const httpUrl = z
  .string()
  .trim()
  .max(2048, 'Use at most 2048 characters.')
  .pipe(z.url({ protocol: /^https?$/, error: 'Enter a full http:// or https:// URL.' }))
  .refine((value) => !value.includes('#'), 'The URL must not contain a fragment (#).');

const optionalHttpUrl = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  httpUrl.optional(),
);

/** What the "Add consumer" form and `POST /_emulator/consumers` both accept. */
export const consumerInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(255, 'Use at most 255 characters.'),
  description: z.string().trim().max(4096, 'Use at most 4096 characters.').default(''),
  callbackUrl: optionalHttpUrl,
  url: optionalHttpUrl,
  permissions: z.array(scopeSchema).max(50).default([]),
  private: z.boolean().default(false),
});

export type ConsumerInput = z.input<typeof consumerInputSchema>;
export type ConsumerFieldErrors = Partial<Record<keyof ConsumerInput, string>>;

export class ConsumerInputError extends Error {
  override name = 'ConsumerInputError';
  constructor(readonly fields: ConsumerFieldErrors) {
    super(`Invalid consumer: ${Object.values(fields).join(' ')}`);
  }
}

export interface CreateConsumerDependencies {
  consumers: ConsumerStore;
  repositories: RepositoryStore;
  clock: Clock;
}

/**
 * Adds an OAuth consumer to a workspace, as Bitbucket's workspace settings › OAuth consumers ›
 * Add consumer does: it gets an 18-character key and a 32-character secret, and its permissions
 * (scopes) are fixed from then on.
 */
export function createConsumer(
  dependencies: CreateConsumerDependencies,
  workspace: Workspace,
  createdBy: User,
  input: unknown,
): Consumer {
  const parsed = consumerInputSchema.safeParse(input);
  if (!parsed.success) throw new ConsumerInputError(fieldErrorsOf(parsed.error));
  const values = parsed.data;
  return dependencies.consumers.create({
    key: generateAlphanumeric(18),
    secret: generateAlphanumeric(32),
    workspaceId: workspace.id,
    createdByUserId: createdBy.id,
    name: values.name,
    description: values.description,
    callbackUrl: values.callbackUrl ?? null,
    url: values.url ?? null,
    isPrivate: values.private,
    scopes: sortScopes(values.permissions),
    createdAt: dependencies.clock.now(),
  });
}

function fieldErrorsOf(error: z.ZodError): ConsumerFieldErrors {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'name');
    fields[field] ??= issue.message;
  }
  return fields as ConsumerFieldErrors;
}
