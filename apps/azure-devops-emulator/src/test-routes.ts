// The test API of both emulators (DESIGN.md › Providers), JSON in and out:
//   POST /_emulator/app-registrations     {"tenant":"acme","name","redirectUri"} → {clientId, clientSecret, tenantId, issuerUrl}
//   POST /_emulator/personal-access-tokens {"username":"alice","organization":"acme","scopes":["vso.code_write"],"expiresAt"} → {token}
//   POST /_emulator/tokens/expire         {"username"}: the user's access tokens stop working now
//   POST /_emulator/app-registrations/{clientId}/expire-secret: the client secret expires now (AADSTS7000222)
import { sendTestApiError, sendValidationError } from '@runner-console/emulator-kit';
import type { Router } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from './context.ts';
import { issuerOf } from './entra/entra-router.ts';

const appRegistration = z.strictObject({ tenant: z.string().min(1).max(100), name: z.string().min(1).max(120), redirectUri: z.url({ protocol: /^https?$/ }) });
const personalAccessToken = z.strictObject({
  username: z.string().min(1).max(100),
  organization: z.string().min(1).max(100),
  scopes: z.array(z.string().regex(/^vso\.[a-z_]+$/)).min(1).max(30),
  expiresAt: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date'),
});

export function addTestRoutes(router: Router, context: EmulatorContext): void {
  router.post('/_emulator/app-registrations', (req, res) => {
    const parsed = appRegistration.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const tenant = context.state.findTenant(parsed.data.tenant);
    if (!tenant) return sendTestApiError(res, 404, 'not_found', `No tenant ${parsed.data.tenant}.`);
    const { app, secret } = context.state.registerApp({ tenantId: tenant.id, name: parsed.data.name, redirectUri: parsed.data.redirectUri });
    res.status(201).json({ clientId: app.clientId, clientSecret: secret, tenantId: tenant.id, issuerUrl: issuerOf(context, tenant) });
  });

  router.post('/_emulator/app-registrations/:clientId/expire-secret', (req, res) => {
    const app = context.state.apps.get(String(req.params.clientId));
    if (!app) return sendTestApiError(res, 404, 'not_found', 'No such app registration.');
    app.secretExpiresAt = context.clock.now() - 1000;
    res.status(204).end();
  });

  router.post('/_emulator/personal-access-tokens', (req, res) => {
    const parsed = personalAccessToken.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const user = context.state.findUserByLogin(parsed.data.username);
    if (!user) return sendTestApiError(res, 404, 'not_found', `No user ${parsed.data.username}.`);
    if (!context.state.organizations.has(parsed.data.organization.toLowerCase())) return sendTestApiError(res, 404, 'not_found', `No organization ${parsed.data.organization}.`);
    // A date alone means the end of that day, as the PAT page shows it.
    const expiresAt = /^\d{4}-\d{2}-\d{2}$/.test(parsed.data.expiresAt) ? Date.parse(`${parsed.data.expiresAt}T23:59:59Z`) : Date.parse(parsed.data.expiresAt);
    const token = context.state.createPat({ userId: user.id, organization: parsed.data.organization.toLowerCase(), scopes: parsed.data.scopes, expiresAt });
    res.status(201).json({ token });
  });

  router.post('/_emulator/tokens/expire', (req, res) => {
    const user = context.state.findUserByLogin(String((req.body as { username?: unknown } | undefined)?.username ?? ''));
    if (!user) return sendTestApiError(res, 404, 'not_found', 'No such user.');
    for (const issued of context.state.accessTokens.values()) if (issued.userId === user.id) issued.expired = true;
    res.status(204).end();
  });
}
