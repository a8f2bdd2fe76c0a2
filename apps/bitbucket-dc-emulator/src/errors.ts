import type { DcErrors } from '@runner-console/scm-providers/bitbucket-data-center-schema';
import type { Response } from 'express';

/**
 * Data Center's error body: `{"errors":[{"context":null,"message":"…","exceptionName":"…"}]}`
 * (https://developer.atlassian.com/server/bitbucket/rest/v906/intro/#errors-and-validation).
 */
export function sendDcError(res: Response, status: number, message: string, exceptionName: string | null = null): void {
  const body: DcErrors = { errors: [{ message, ...(exceptionName === null ? {} : { exceptionName }) }] };
  res.status(status).json({ errors: body.errors?.map((error) => ({ context: null, ...error })) });
}

export const AUTHENTICATION_FAILED = 'Authentication failed. Please check your credentials and try again.';
