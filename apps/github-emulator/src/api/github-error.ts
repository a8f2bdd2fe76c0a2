import type { Response } from 'express';
import type { BasicError } from './github-json.ts';

const DOCS = 'https://docs.github.com/rest';

/** GitHub's error body: `{"message","documentation_url","status"}`. */
export function sendGitHubError(res: Response, status: number, message: string, documentationUrl = DOCS): void {
  const body: BasicError = { message, documentation_url: documentationUrl, status: String(status) };
  res.status(status).json(body);
}

/** GitHub answers 404, never 403, for a repository a token cannot see, so its existence stays hidden. */
export function sendNotFound(res: Response, documentationUrl = DOCS): void {
  sendGitHubError(res, 404, 'Not Found', documentationUrl);
}
