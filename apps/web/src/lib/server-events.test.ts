import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createServerEvents } from './server-events.ts';
import type { EventSourceLike } from './server-events.ts';

class FakeEventSource implements EventSourceLike {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly handlers = new Map<string, Array<(event: MessageEvent<string>) => void>>();

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  emit(type: string, data: string) {
    for (const handler of this.handlers.get(type) ?? []) handler(new MessageEvent(type, { data }));
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.(new Event('error'));
  }
}

function setup() {
  const sources: FakeEventSource[] = [];
  const events = createServerEvents({
    url: '/api/events',
    retryDelaysMs: [100, 500],
    createEventSource: () => {
      const source = new FakeEventSource();
      sources.push(source);
      return source;
    },
  });
  const latest = () => sources.at(-1)!;
  return { events, sources, latest };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('serverEvents', () => {
  it('opens one connection for all subscribers and routes events by type', () => {
    const { events, sources, latest } = setup();
    const runnerEvents: unknown[] = [];
    const otherEvents: unknown[] = [];
    events.subscribe('runner.changed', (data) => runnerEvents.push(data));
    events.subscribe('integration.changed', (data) => otherEvents.push(data));
    expect(sources).toHaveLength(1);

    latest().emit('runner.changed', '{"type":"runner.changed","runner":{"id":"r1"}}');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    latest().emit('runner.changed', 'not json');
    expect(warn).toHaveBeenCalledOnce();
    expect(runnerEvents).toEqual([{ type: 'runner.changed', runner: { id: 'r1' } }]);
    expect(otherEvents).toEqual([]);
  });

  it('closes after the last subscriber leaves, but survives an immediate resubscribe', () => {
    const { events, sources, latest } = setup();
    const off = events.subscribe('runner.changed', () => {});
    off();
    const offAgain = events.subscribe('runner.changed', () => {});
    vi.runAllTimers();
    expect(sources).toHaveLength(1);
    expect(latest().closed).toBe(false);

    offAgain();
    vi.runAllTimers();
    expect(latest().closed).toBe(true);
  });

  it('reopens with backoff when the browser gives up, and reports the reconnect', () => {
    const { events, sources, latest } = setup();
    const lost = vi.fn();
    const reconnected = vi.fn();
    events.onConnectionLost(lost);
    events.onReconnect(reconnected);
    const received: unknown[] = [];
    events.subscribe('runner.changed', (data) => received.push(data));
    latest().open();
    expect(reconnected).not.toHaveBeenCalled();

    latest().fail(0); // CONNECTING: the browser retries by itself
    expect(lost).not.toHaveBeenCalled();
    latest().fail(2); // CLOSED: our turn
    expect(lost).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(99);
    expect(sources).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(2);

    latest().fail(2);
    vi.advanceTimersByTime(499);
    expect(sources).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sources).toHaveLength(3);

    latest().open();
    expect(reconnected).toHaveBeenCalledTimes(1);
    latest().emit('runner.changed', '{"n":1}');
    expect(received).toEqual([{ n: 1 }]);
  });

  it('opens a new connection at once when the server says reconnect (its instance is draining), and reports it', () => {
    const { events, sources, latest } = setup();
    const seen: unknown[] = [];
    let reconnects = 0;
    events.subscribe('runner.changed', (data) => seen.push(data));
    events.onReconnect(() => reconnects++);
    const first = latest();
    first.open();
    first.emit('reconnect', '{"type":"reconnect"}');
    // No timer has run: the new connection is opened in the same turn.
    expect(first.closed).toBe(true);
    expect(sources).toHaveLength(2);
    latest().open();
    expect(reconnects).toBe(1);
    latest().emit('runner.changed', '{"n":2}');
    expect(seen).toEqual([{ n: 2 }]);
  });

  it('subscribes a new type on the open connection', () => {
    const { events, sources, latest } = setup();
    events.subscribe('runner.changed', () => {});
    const seen: unknown[] = [];
    events.subscribe('connect.completed', (data) => seen.push(data));
    latest().emit('connect.completed', '{"ok":true}');
    expect(sources).toHaveLength(1);
    expect(seen).toEqual([{ ok: true }]);
  });
});
