import express, { Router } from 'express';
import type { GitHubContext } from '../context.ts';
import { sendGitHubError, sendNotFound } from '../api/github-error.ts';
import { authenticateClient, readClientCredentials } from './clients.ts';

const DOCS = 'https://docs.github.com/rest/apps/oauth-applications#delete-an-app-authorization';

/**
 * `DELETE /applications/{client_id}/grant` with Basic client_id:client_secret and
 * `{"access_token"}`: revokes the user's authorization of the app, every token it issued
 * included. https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization
 */
export function createGrantRevocationRouter(context: GitHubContext): Router {
  const router = Router();
  router.delete('/applications/:clientId/grant', express.json({ limit: '16kb' }), (req, res) => {
    const { clientId, clientSecret } = readClientCredentials(req, {});
    const client = authenticateClient(context.state, clientId, clientSecret);
    if (!client || client.clientId !== req.params.clientId) return sendNotFound(res, DOCS);
    const accessToken = (req.body as { access_token?: unknown } | undefined)?.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      return sendGitHubError(res, 422, 'Invalid request. "access_token" wasn\'t supplied.', DOCS);
    }
    const token = context.state.findToken(accessToken);
    if (!token || token.clientId !== client.clientId) return sendNotFound(res, DOCS);
    context.state.revokeGrant(token.userId, client.clientId);
    context.refreshTokens.revokeWhere((grant) => grant.userId === token.userId && grant.clientId === client.clientId);
    context.counts.count('grantRevocations');
    res.status(204).end();
  });
  return router;
}
