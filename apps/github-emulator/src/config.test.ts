import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({}, '/srv/app')).toEqual({
      port: 8083,
      host: '127.0.0.1',
      dataDir: path.resolve('/srv/app', '.data'),
      publicUrl: 'http://localhost:8083',
      logLevel: 'info',
    });
  });

  it('derives the public URL from the port and resolves DATA_DIR against the working directory', () => {
    const config = loadConfig(
      { GITHUB_PORT: '18083', DATA_DIR: 'tmp/data', GITHUB_HOST: '0.0.0.0' },
      '/srv/app',
    );
    expect(config).toMatchObject({
      port: 18083,
      host: '0.0.0.0',
      dataDir: '/srv/app/tmp/data',
      publicUrl: 'http://localhost:18083',
    });
  });

  it('takes GITHUB_PUBLIC_URL as an origin, and treats empty variables as unset', () => {
    expect(
      loadConfig({ GITHUB_PUBLIC_URL: 'https://bb.example.test/', GITHUB_PORT: '' }, '/')
        .publicUrl,
    ).toBe('https://bb.example.test');
  });

  it.each([
    [{ GITHUB_PORT: 'eighty' }, 'GITHUB_PORT'],
    [{ GITHUB_PORT: '70000' }, 'GITHUB_PORT'],
    [{ GITHUB_PUBLIC_URL: 'localhost:8083' }, 'GITHUB_PUBLIC_URL'],
    [{ GITHUB_PUBLIC_URL: 'http://localhost:8083/bitbucket' }, 'GITHUB_PUBLIC_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  ])('refuses %j, naming the variable', (env, name) => {
    expect(() => loadConfig(env, '/')).toThrow(ConfigError);
    expect(() => loadConfig(env, '/')).toThrow(name);
  });
});
