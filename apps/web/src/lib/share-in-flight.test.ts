import { describe, expect, it, vi } from 'vitest';
import { shareInFlight } from './share-in-flight.ts';

describe('shareInFlight', () => {
  it('joins a repeat to the running call, and runs again once it has settled', async () => {
    let release!: (v: string) => void;
    const fn = vi.fn((id: string) => new Promise<string>((r) => (release = (v) => r(`${id}:${v}`))));
    const shared = shareInFlight(fn);
    const first = shared('r1');
    const second = shared('r1');
    expect(fn).toHaveBeenCalledTimes(1);
    release('done');
    expect(await Promise.all([first, second])).toEqual(['r1:done', 'r1:done']);
    const third = shared('r1');
    expect(fn).toHaveBeenCalledTimes(2);
    release('again');
    expect(await third).toBe('r1:again');
  });

  it('keeps different calls apart, and lets a failure through to every caller', async () => {
    const fn = vi.fn(async (id: string) => {
      if (id === 'bad') throw new Error('refused');
      return id;
    });
    const shared = shareInFlight(fn);
    await expect(Promise.all([shared('a'), shared('b')])).resolves.toEqual(['a', 'b']);
    const failures = await Promise.allSettled([shared('bad'), shared('bad')]);
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});
