import { QueryClient } from '@tanstack/react-query';
import type { ScmIntegration } from '@runner-console/contracts';
import { describe, expect, it } from 'vitest';
import { mergeFetchedIntegrations } from './integration-freshness.ts';
import { upsertIntegration } from './scm-integration-cache.ts';
import { scmIntegrationQueries } from './scm-integration-queries.ts';

const saved: ScmIntegration = {
  id: 'i1',
  runnerId: 'r1',
  provider: 'bitbucket',
  host: 'bitbucket.org',
  oauthEnabled: true,
  patEnabled: false,
  clientId: 'key-1',
  hasClientSecret: true,
  secretKeyId: 'kid',
  secretNeedsReentry: false,
  validation: { status: 'pending', message: null, checkedAt: null },
  callbackUrl: 'http://localhost:8081/oauth/callback',
  newCallbackUrl: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  updatedAt: '2026-01-01T10:00:00.000Z',
  updatedBy: 'admin@acme.test',
};
const validated: ScmIntegration = {
  ...saved,
  clientId: undefined, // the members' view that events carry
  secretKeyId: undefined,
  validation: { status: 'valid', message: 'ok', checkedAt: '2026-01-01T10:00:01.000Z' },
};

function cacheWith(...rows: ScmIntegration[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData(scmIntegrationQueries.list('r1').queryKey, { integrations: rows });
  return queryClient;
}
const rows = (queryClient: QueryClient) =>
  queryClient.getQueryData(scmIntegrationQueries.list('r1').queryKey)?.integrations;

describe('upsertIntegration', () => {
  it('keeps the admin’s client ID when an event without it arrives', () => {
    const queryClient = cacheWith(saved);
    upsertIntegration(queryClient, validated);
    expect(rows(queryClient)).toEqual([{ ...validated, clientId: 'key-1', secretKeyId: 'kid' }]);
  });

  it('does not let the save’s own answer undo a validation result that overtook it', () => {
    const queryClient = cacheWith(saved);
    upsertIntegration(queryClient, validated);
    upsertIntegration(queryClient, saved);
    expect(rows(queryClient)?.[0]?.validation.status).toBe('valid');
  });

  it('takes a newer save, and adds rows it did not know', () => {
    const queryClient = cacheWith({ ...validated, clientId: 'key-1' });
    const edited = { ...saved, updatedAt: '2026-01-01T10:05:00.000Z', clientId: 'key-2' };
    upsertIntegration(queryClient, edited);
    upsertIntegration(queryClient, { ...saved, id: 'i2' });
    expect(rows(queryClient)?.map((row) => [row.id, row.clientId, row.validation.status])).toEqual([
      ['i1', 'key-2', 'pending'],
      ['i2', 'key-1', 'pending'],
    ]);
  });
});

describe('mergeFetchedIntegrations', () => {
  it('keeps a validation result that arrived while the list was being fetched', () => {
    const cached = [{ ...validated, clientId: 'key-1' }];
    expect(mergeFetchedIntegrations(cached, [saved])[0]?.validation.status).toBe('valid');
  });

  it('takes what the server answered otherwise, dropping rows it no longer has', () => {
    const later = { ...saved, updatedAt: '2026-01-01T11:00:00.000Z', clientId: 'key-3' };
    expect(mergeFetchedIntegrations([validated, { ...saved, id: 'gone' }], [later])).toEqual([
      later,
    ]);
  });
});
