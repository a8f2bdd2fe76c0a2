/** A refusal the BFF maps to a clear API error (see the BFF's environment service). */
export class ContextError extends Error {
  constructor(
    readonly code: 'not_a_repository' | 'no_integration' | 'not_connected' | 'needs_reauthorization' | 'repository_not_found' | 'ref_not_found' | 'provider_unreachable' | 'provider_error',
    message: string,
  ) {
    super(message);
  }
}
