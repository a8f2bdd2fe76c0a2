import type { Response } from 'express';
import type { BitbucketError } from '@runner-console/scm-providers/bitbucket-schema';

/**
 * Bitbucket's error body: `{"type": "error", "error": {"message": "…", "detail"?: …}}`, typed from
 * Atlassian's `error` schema. The one difference: the description types `detail` as a string, but
 * bitbucket.org answers a missing scope with `detail: {"required": […], "granted": […]}`, which
 * integrations read, so an object is allowed there.
 */
type ApiErrorBody = Omit<BitbucketError, 'error'> & {
  readonly error: Omit<NonNullable<BitbucketError['error']>, 'detail'> & {
    readonly detail?: string | Readonly<Record<string, unknown>>;
  };
};

export function sendApiError(
  res: Response,
  status: number,
  message: string,
  detail?: string | Readonly<Record<string, unknown>>,
): void {
  const body: ApiErrorBody = {
    type: 'error',
    error: detail === undefined ? { message } : { message, detail },
  };
  res.status(status).json(body);
}
