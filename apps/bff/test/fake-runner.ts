import WebSocket from 'ws';
import { createRunnerKeyPair } from '@runner-console/envelope';

export type FakeRunnerKeyPair = Awaited<ReturnType<typeof createRunnerKeyPair>>;

/**
 * Like a real runner's data folder: the same token comes back with the same key (the BFF pins a
 * runner's key at its first hello), and a rotation the fake answers becomes its key from then on.
 */
const keysByToken = new Map<string, FakeRunnerKeyPair>();

/**
 * A minimal runner for BFF tests: dials the link with a token, says hello with a real key, heartbeats
 * and answers requests from `handlers`. The real runner is tested end to end. `keyPair` presents
 * another key than the one this token connected with before (a reinstalled runner, or an impostor
 * with a stolen token). A refused hello rejects with `refused: close <code> <reason>`.
 */
export async function connectFakeRunner(
  bffUrl: string,
  token: string,
  handlers: Record<string, (params: any) => unknown> = { ping: () => ({ version: 'test' }) },
  opts: { heartbeat?: boolean; publicUrl?: string; keyPair?: FakeRunnerKeyPair } = {},
) {
  const keyPair = opts.keyPair ?? keysByToken.get(token) ?? (await createRunnerKeyPair());
  if (!keysByToken.has(token)) keysByToken.set(token, keyPair);
  const { publicJwk } = keyPair;
  if (handlers.rotateKey) {
    const rotate = handlers.rotateKey;
    handlers = {
      ...handlers,
      rotateKey: async (params: unknown) => {
        const result = (await rotate(params)) as { publicKey?: FakeRunnerKeyPair['publicJwk'] };
        if (result?.publicKey) keysByToken.set(token, { ...keyPair, publicJwk: result.publicKey });
        return result;
      },
    };
  }
  const ws = new WebSocket(`${bffUrl.replace('http', 'ws')}/api/runner-link`, { headers: { authorization: `Bearer ${token}` } });
  let heartbeat: NodeJS.Timeout | undefined;
  /** Answers to this runner's own requests to the BFF, by request id. */
  const asked = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** How the BFF ended the link (code and reason), once it has. */
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const welcome = await new Promise<any>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('close', (code, reason) => reject(new Error(`refused: close ${code} ${reason.toString()}`)));
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'hello', version: 'test', region: 'eu', publicUrl: opts.publicUrl ?? 'http://127.0.0.1:1', publicKey: publicJwk })),
    );
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === 'welcome') {
        if (opts.heartbeat !== false) heartbeat = setInterval(() => ws.send(JSON.stringify({ type: 'heartbeat' })), msg.heartbeatIntervalMs);
        resolve(msg);
      } else if (msg.type === 'response') {
        const waiter = asked.get(msg.id);
        asked.delete(msg.id);
        if (msg.ok) waiter?.resolve(msg.result);
        else waiter?.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
      } else if (msg.type === 'request') {
        const handler = handlers[msg.method];
        Promise.resolve()
          .then(() => {
            if (!handler) throw Object.assign(new Error('unknown'), { code: 'unknown_method' });
            return handler(msg.params);
          })
          .then(
            (result) => ws.send(JSON.stringify({ type: 'response', id: msg.id, ok: true, result: result ?? null })),
            (err) => ws.send(JSON.stringify({ type: 'response', id: msg.id, ok: false, error: { code: err.code ?? 'internal', message: err.message } })),
          );
      }
    });
  });
  return {
    welcome,
    publicJwk,
    keyPair,
    closed,
    ws,
    /** Runner → BFF, as the runner asks (redeemFlow, completeFlow, …); rejects with the BFF's error code. */
    request(method: string, params: unknown): Promise<any> {
      const id = `fake-${Math.random().toString(36).slice(2)}`;
      return new Promise((resolve, reject) => {
        asked.set(id, { resolve, reject });
        ws.send(JSON.stringify({ type: 'request', id, method, params }));
      });
    },
    close() {
      clearInterval(heartbeat);
      ws.close();
    },
  };
}
