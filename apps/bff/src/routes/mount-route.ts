import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import type { ApiRoute, SessionUser } from '@runner-console/contracts';
import { parseBody } from '../http/parse-body.ts';
import { HttpError } from '../http/http-error.ts';
import { JsonText } from '../http/json-text.ts';
import { findRequestUser, requireAdmin, requireUser } from '../http/request-context.ts';

type Infer<T> = T extends z.core.$ZodType ? z.infer<T> : undefined;
type UserFor<R extends ApiRoute> = R['access'] extends 'public' ? SessionUser | undefined : SessionUser;

export interface RouteContext<R extends ApiRoute> {
  req: Request;
  res: Response;
  user: UserFor<R>;
  body: Infer<R['request']>;
  /** The parsed query string, for routes whose contract has a `query` schema. */
  query: Infer<R['query']>;
  params: Record<string, string>;
}

/**
 * Mount one row of the contract's route table. Access is enforced here from the table, so a handler
 * cannot forget it; the body is parsed with the route's contract before the handler sees it.
 */
export function mountRoute<R extends ApiRoute>(
  router: Router,
  route: R,
  handler: (ctx: RouteContext<R>) => Promise<Infer<R['response']> | JsonText<Infer<R['response']>> | void>,
): void {
  router[route.method](route.path, async (req: Request, res: Response) => {
    const user =
      route.access === 'admin' ? requireAdmin(req) : route.access === 'member' ? requireUser(req) : findRequestUser(req);
    if (route.request && !req.is('application/json')) {
      throw new HttpError(415, 'validation_failed', 'Send the body as JSON, with Content-Type: application/json.');
    }
    const body = route.request ? parseBody(route.request, req.body) : undefined;
    const query = route.query ? parseBody(route.query, req.query) : undefined;
    const result = await handler({
      req,
      res,
      user: user as UserFor<R>,
      body: body as Infer<R['request']>,
      query: query as Infer<R['query']>,
      params: req.params as Record<string, string>,
    });
    if (res.headersSent) return;
    if (route.noContent) res.status(204).end();
    else if (route.redirect) throw new Error(`route ${route.path} must redirect`);
    else if (result instanceof JsonText) {
      res.status(route.created ? 201 : 200).set('Content-Type', 'application/json; charset=utf-8').send(result.bytes);
    }
    else res.status(route.created ? 201 : 200).json(result);
  });
}
