import { sealClientSecret } from '@runner-console/envelope';
import type { TestBrowser } from '../test-support/test-stack.ts';
import { createConsumer, expectOk } from './bench-api.ts';
import type { BenchStack } from './stack.ts';
import { ms, percentile, ratio, type BenchRow } from './stats.ts';

interface Schema {
  publicKey: { kty: 'EC' | 'OKP'; crv: 'P-256' | 'X25519'; x: string; y?: string; kid: string } | null;
}

/**
 * From the admin's save (the secret sealed to the runner's key, as the browser does it) until the
 * runner answers a validate of the new configuration with "valid". Each round deletes the
 * integration first, so every save is a new configuration the runner has not seen.
 * The baseline is one bare call to the emulator's token endpoint, which validate itself makes.
 */
export async function benchSaveToUsable(stack: BenchStack, admin: TestBrowser, runnerId: string, rounds: number): Promise<{ rows: BenchRow[]; consumer: { key: string; secret: string } }> {
  const consumer = await createConsumer(stack);
  const base = `/api/runners/${runnerId}`;
  const samples: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < rounds + 2; i++) {
    const { integrations } = await expectOk<{ integrations: { id: string }[] }>(admin, stack, 'GET', `${base}/integrations`);
    for (const existing of integrations) await expectOk(admin, stack, 'DELETE', `${base}/integrations/${existing.id}`);
    const schema = await expectOk<Schema>(admin, stack, 'GET', `${base}/configuration-schema`);
    if (!schema.publicKey) throw new Error('the runner has no public key');
    const envelope = await sealClientSecret({ secret: consumer.secret, publicJwk: schema.publicKey, runnerId, host: 'bitbucket.org' });

    const started = performance.now();
    const created = await expectOk<{ id: string }>(admin, stack, 'POST', `${base}/integrations`, {
      provider: 'bitbucket',
      host: 'bitbucket.org',
      oauthEnabled: true,
      clientId: consumer.key,
      oauthClientSecretEnvelope: envelope,
    });
    const validated = await expectOk<{ validation: { status: string } }>(admin, stack, 'POST', `${base}/integrations/${created.id}/validate`);
    const elapsed = performance.now() - started;
    if (validated.validation.status !== 'valid') throw new Error(`validate answered ${validated.validation.status}`);
    if (i >= 2) samples.push(elapsed); // two warm-up rounds

    const t0 = performance.now();
    const res = await fetch(`${stack.bitbucket}/site/oauth2/access_token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${consumer.key}:${consumer.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'bench-baseline', redirect_uri: `${stack.runner}/oauth/callback` }),
    });
    await res.text();
    if (i >= 2) baselines.push(performance.now() - t0);
  }
  // Leave the last integration in place: Connect and check-authentication use it.
  const p95 = percentile(samples, 95);
  const base95 = percentile(baselines, 95);
  return {
    consumer,
    rows: [
      {
        benchmark: `2. Save to usable, p95 (n=${samples.length}; p50 ${ms(percentile(samples, 50))})`,
        figure: ms(p95),
        baseline: `${ms(base95)} (bare token endpoint call, p95)`,
        ratio: ratio(p95, base95),
        budget: 'p95 < 200 ms',
        pass: p95 < 200,
      },
    ],
  };
}
