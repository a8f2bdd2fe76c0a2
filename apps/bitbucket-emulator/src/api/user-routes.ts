import type { Router } from 'express';
import type { EmulatorContext } from '../emulator-context.ts';
import { sendApiError } from './api-error.ts';
import type { ApiLinks } from './api-links.ts';
import { principalOf, requireAuthenticated, requireScope, userOf } from './api-principal.ts';
import { paginate, publicRequestUrl, readPaging } from './paginate.ts';
import { currentUserJson, emailJson } from './user-json.ts';

/**
 * `GET /2.0/user` (scope `account`) and `GET /2.0/user/emails` (scope `email`, which `account`
 * implies). https://developer.atlassian.com/cloud/bitbucket/rest/api-group-users/
 */
export function addUserRoutes(router: Router, context: EmulatorContext, links: ApiLinks): void {
  router.get('/user', requireScope('account'), requireAuthenticated, (_req, res) => {
    const user = userOf(principalOf(res));
    if (user) res.json(currentUserJson(links, user));
  });

  router.get('/user/emails', requireScope('email'), requireAuthenticated, (req, res) => {
    const user = userOf(principalOf(res));
    if (!user) return;
    const paging = readPaging(req, { defaultPagelen: 10, maxPagelen: 100 });
    res.json(paginate([emailJson(links, user)], paging, publicRequestUrl(context.publicUrl, req)));
  });

  router.get('/user/emails/:email', requireScope('email'), requireAuthenticated, (req, res) => {
    const user = userOf(principalOf(res));
    if (!user) return;
    const email = String(req.params.email);
    if (email.toLowerCase() !== user.email.toLowerCase()) {
      return sendApiError(res, 404, `Email ${email} not found.`);
    }
    res.json(emailJson(links, user));
  });
}
