import { describe, expect, it } from 'vitest';
import { loadOnDemand } from './load-on-demand.ts';

describe('loadOnDemand', () => {
  it('imports once, however often it is asked, and then has the module at hand', async () => {
    let imports = 0;
    const onDemand = loadOnDemand(async () => {
      imports++;
      return { answer: 42 };
    });
    expect(onDemand.current).toBeUndefined();
    onDemand.preload();
    const [first, second] = await Promise.all([onDemand.load(), onDemand.load()]);
    expect(first).toBe(second);
    expect(onDemand.current).toBe(first);
    expect(imports).toBe(1);
  });

  it('tries again after a failed import instead of keeping the failure', async () => {
    let attempt = 0;
    const onDemand = loadOnDemand(async () => {
      attempt++;
      if (attempt === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { attempt };
    });
    await expect(onDemand.load()).rejects.toThrow('Failed to fetch');
    expect(onDemand.current).toBeUndefined();
    await expect(onDemand.load()).resolves.toEqual({ attempt: 2 });
    expect(onDemand.current).toEqual({ attempt: 2 });
  });

  it('preload swallows a failure: whoever needs the module reports it', async () => {
    const onDemand = loadOnDemand(() => Promise.reject(new Error('offline')));
    expect(() => onDemand.preload()).not.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(onDemand.current).toBeUndefined();
  });
});
