import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 8082,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/app', '.data'),
      publicUrl: 'http://localhost:8082',
      logLevel: 'info',
    });
  });

  it('derives the public URL from the port and resolves DATA_DIR against the working directory', () => {
    const config = loadConfig(
      { BITBUCKET_PORT: '18082', DATA_DIR: 'tmp/data', BITBUCKET_HOST: '0.0.0.0' },
      '/srv/app',
    );
    expect(config).toMatchObject({
      port: 18082,
      host: '0.0.0.0',
      dataDir: '/srv/app/tmp/data',
      publicUrl: 'http://localhost:18082',
    });
  });

  it('takes BITBUCKET_PUBLIC_URL as an origin, and treats empty variables as unset', () => {
    expect(
      loadConfig({ BITBUCKET_PUBLIC_URL: 'https://bb.example.test/', BITBUCKET_PORT: '' }, '/')
        .publicUrl,
    ).toBe('https://bb.example.test');
  });

  it.each([
    [{ BITBUCKET_PORT: 'eighty' }, 'BITBUCKET_PORT'],
    [{ BITBUCKET_PORT: '70000' }, 'BITBUCKET_PORT'],
    [{ BITBUCKET_PUBLIC_URL: 'localhost:8082' }, 'BITBUCKET_PUBLIC_URL'],
    [{ BITBUCKET_PUBLIC_URL: 'http://localhost:8082/bitbucket' }, 'BITBUCKET_PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(() => loadConfig(env, '/')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/')).toThrow(name);
  });
});
