import WebSocket from 'ws';
import { createRunnerKeyPair } from '@runner-console/envelope';

/**
 * A minimal runner for BFF tests: dials the link with a token, says hello with a real key, heartbeats
 * and answers requests from `handlers`. The real runner is tested end to end.
 */
export async function connectFakeRunner(
  bffUrl: string,
  token: string,
  handlers: Record<string, (params: any) => unknown> = { ping: () => ({ version: 'test' }) },
  opts: { heartbeat?: boolean; publicUrl?: string } = {},
) {
  const { publicJwk } = await createRunnerKeyPair();
  const ws = new WebSocket(`${bffUrl.replace('http', 'ws')}/api/runner-link`, { headers: { authorization: `Bearer ${token}` } });
  let heartbeat: NodeJS.Timeout | undefined;
  /** Answers to this runner's own requests to the BFF, by request id. */
  const asked = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  /** How the BFF ended the link (code and reason), once it has. */
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const welcome = await new Promise<any>((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.on('error', reject);
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
