import { describe, expect, it } from 'vitest';
import { entraScopes, readEntraScopes } from './adapter.ts';
import { describeEntraRefusal, judgeEntraClientCheck } from './entra-oauth.ts';

const refusal = (error: string, code: number, status = 400) => ({ status, error, description: `AADSTS${code}: something. Trace ID: x Correlation ID: y Timestamp: z` });

describe('what Entra’s AADSTS answers mean', () => {
  it('sends the admin to the app registration for a wrong, an expired or an unknown client', () => {
    expect(describeEntraRefusal(refusal('invalid_client', 7000215, 401), 'exchange')).toMatchObject({ failureCode: 'invalid_client', message: expect.stringMatching(/Value \(not its Secret ID\)/) });
    expect(describeEntraRefusal(refusal('invalid_client', 7000222, 401), 'refresh')).toMatchObject({ failureCode: 'invalid_client', message: expect.stringMatching(/expired.*new client secret/) });
    expect(describeEntraRefusal(refusal('unauthorized_client', 700016), 'exchange').message).toMatch(/Application \(client\) ID/);
    expect(judgeEntraClientCheck(refusal('invalid_client', 7000222, 401), 401)).toMatchObject({ status: 'invalid_credentials', message: expect.stringMatching(/expired/) });
    expect(judgeEntraClientCheck(refusal('invalid_grant', 70008), 400).status).toBe('valid');
  });

  it('names missing consent, a user of another tenant and a declined consent', () => {
    expect(describeEntraRefusal(refusal('invalid_grant', 65001), 'exchange').message).toMatch(/Grant admin consent/);
    expect(describeEntraRefusal(refusal('access_denied', 50020), 'authorize')).toMatchObject({ failureCode: 'access_denied', message: expect.stringMatching(/another Microsoft Entra tenant/) });
    expect(describeEntraRefusal({ status: 302, error: 'access_denied', description: 'AADSTS65004: User declined to consent to access the app.' }, 'authorize').failureCode).toBe('access_denied');
  });
});

describe('Entra scopes', () => {
  it('asks for vso.code_write under Azure DevOps’ resource, the OpenID scopes and offline_access, and reads both forms back', () => {
    expect(entraScopes()).toBe('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write openid profile email offline_access');
    expect(readEntraScopes('499b84ac-1321-427f-aa17-267ca6975798/vso.code_write openid', true)).toEqual(['499b84ac-1321-427f-aa17-267ca6975798/vso.code_write', 'vso.code_write', 'openid', 'offline_access']);
  });
});
