import type { TestApiClient } from './api-client.ts';

/** Reads until `ok` holds (polling every 50 ms), or throws with the last value read. */
export async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`never happened; last value: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The dashboard's event stream (GET /api/events) on one instance. `next(match)` resolves with the
 * first event whose text matches; `drain(ms)` returns all the text received within `ms`.
 */
export async function openEvents(url: string, client: TestApiClient) {
  const res = await fetch(`${url}/api/events`, { headers: { cookie: client.cookieHeader() } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // A read that outlives one wait is kept for the next, so no chunk is dropped.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  const readFor = async (deadline: number) => {
    pending ??= reader.read();
    const chunk = await Promise.race([pending, new Promise<undefined>((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
    if (!chunk) return;
    pending = undefined;
    if (chunk.value) text += decoder.decode(chunk.value);
  };
  return {
    async next(match: string, timeoutMs = 5_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      while (!text.includes(match)) {
        if (Date.now() > deadline) throw new Error(`no event with ${match}; got:\n${text}`);
        await readFor(deadline);
      }
      const at = text.indexOf(match);
      const found = text.slice(0, text.indexOf('\n\n', at) + 2);
      text = text.slice(found.length);
      return found;
    },
    async drain(ms: number): Promise<string> {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) await readFor(deadline);
      const all = text;
      text = '';
      return all;
    },
    close: () => reader.cancel(),
  };
}
