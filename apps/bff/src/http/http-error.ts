import type { ApiErrorCode } from '@runner-console/contracts';

/** An error meant for the person using the API: a status, a code and a message they can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new HttpError(404, 'not_found', `${what} was not found. It may have been deleted, or it belongs to another organization.`);
export const forbidden = () =>
  new HttpError(403, 'forbidden', 'Only organization admins can do this. Ask an admin of your organization.');
export const unauthenticated = () =>
  new HttpError(401, 'unauthenticated', 'You are signed out. Sign in to continue.');
