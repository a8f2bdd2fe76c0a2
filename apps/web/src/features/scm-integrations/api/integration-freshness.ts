import type { IntegrationValidation, ScmIntegration } from '@runner-console/contracts';

/**
 * Of two states of one integration, the newer one. Answers, refetches and server events race
 * (a validation result can overtake the save's own answer, or a refetch sent before it), so an
 * older state must never replace a newer one: a later save wins, and for the same save the
 * validation checked last wins. Fields only the newer state may lack (the client ID, left out of
 * server events) are kept from the other.
 */
export function newerIntegration(
  current: ScmIntegration,
  incoming: ScmIntegration,
): ScmIntegration {
  const age = Date.parse(incoming.updatedAt) - Date.parse(current.updatedAt);
  if (age < 0) return current;
  return {
    ...current,
    ...incoming,
    clientId: incoming.clientId !== undefined ? incoming.clientId : current.clientId,
    secretKeyId: incoming.secretKeyId !== undefined ? incoming.secretKeyId : current.secretKeyId,
    validation:
      age === 0 ? laterValidation(current.validation, incoming.validation) : incoming.validation,
  };
}

function laterValidation(
  current: IntegrationValidation,
  incoming: IntegrationValidation,
): IntegrationValidation {
  const checkedAt = (validation: IntegrationValidation) =>
    validation.checkedAt ? Date.parse(validation.checkedAt) : Number.NEGATIVE_INFINITY;
  return checkedAt(incoming) >= checkedAt(current) ? incoming : current;
}

/** A fetched list, keeping any row state the cache already has that is newer than the answer. */
export function mergeFetchedIntegrations(
  cached: readonly ScmIntegration[] | undefined,
  fetched: ScmIntegration[],
): ScmIntegration[] {
  if (!cached) return fetched;
  return fetched.map((row) => {
    const known = cached.find((candidate) => candidate.id === row.id);
    return known ? newerIntegration(row, known) : row;
  });
}
