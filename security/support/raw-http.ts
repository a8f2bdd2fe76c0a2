import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

// A raw path is sent exactly as written: fetch() would normalize `..` and `%2e%2e` away.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/**
 * One HTTP request with the path and body sent byte for byte as given. Resolves with status 0 and the
 * error's message when the connection fails (the caller decides whether that is a crash).
 */
export function rawRequest(
  base: string,
  req: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 30_000,
): Promise<RawResponse> {
  const url = new URL(base);
  // Always framed by Content-Length: Node's client sends a DELETE body unframed otherwise, and the
  // server reads it as the next request.
  const headers = { ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) };
  return new Promise((resolve) => {
    const r = http.request(
      { host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => resolve({ status: 0, headers: {}, text: `response error: ${err.message}` }));
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    r.on('error', (err) => resolve({ status: 0, headers: {}, text: `request error: ${err.message}` }));
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}

/** Run `tasks` with at most `concurrency` in flight, keeping results in order. */
export async function runPooled<T, R>(tasks: readonly T[], concurrency: number, fn: (task: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await fn(tasks[i]!, i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}
