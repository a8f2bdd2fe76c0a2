import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText, loadConfig, settings } from './config.ts';

const token = 'rct_0123456789abcdefghijklmnop';

describe('runner configuration', () => {
  it('takes every setting as a flag that wins over its environment variable', () => {
    const config = loadConfig({ RUNNER_TOKEN: 'rct_from-env-0123456789abc', BFF_URL: 'http://env:1' }, [
      `--token=${token}`,
      '--bff-url=https://console.acme.internal/',
      '--public-url=https://runner.acme.internal',
      '--listen=0.0.0.0:9000',
      '--data-dir=/var/lib/runner',
      '--region=eu',
      '--bitbucket-url=http://bb.test',
      '--bitbucket-api-url=http://api.bb.test',
      '--log-level=warn',
    ]);
    expect(config).toEqual({
      token,
      bffUrl: 'https://console.acme.internal',
      publicUrl: 'https://runner.acme.internal',
      host: '0.0.0.0',
      port: 9000,
      dataDir: '/var/lib/runner',
      region: 'eu',
      providerEndpoints: [{ host: 'bitbucket.org', siteUrl: 'http://bb.test', apiUrl: 'http://api.bb.test/2.0' }],
      extraCaCerts: null,
      logLevel: 'warn',
    });
  });

  it('listens on the public URL’s port when that URL is on this machine, else on 8081', () => {
    expect(loadConfig({ RUNNER_TOKEN: token, RUNNER_PUBLIC_URL: 'http://localhost:18493' })).toMatchObject({ host: '127.0.0.1', port: 18493 });
    expect(loadConfig({ RUNNER_TOKEN: token, RUNNER_PUBLIC_URL: 'https://runner.acme.internal' })).toMatchObject({ port: 8081 });
    expect(loadConfig({ RUNNER_TOKEN: token, RUNNER_PUBLIC_URL: 'http://localhost:18493', RUNNER_PORT: '0' })).toMatchObject({ port: 0 });
  });

  it('reads the token from a file, so it stays out of ps and shell history', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rc-cfg-')), 'token');
    fs.writeFileSync(file, `${token}\n`);
    expect(loadConfig({}, [`--token-file=${file}`]).token).toBe(token);
    expect(() => loadConfig({ RUNNER_TOKEN_FILE: `${file}.missing` })).toThrow(/RUNNER_TOKEN_FILE: cannot read .*ENOENT/);
  });

  it('fails fast with what to fix', () => {
    expect(() => loadConfig({})).toThrow(/RUNNER_TOKEN is required/);
    expect(() => loadConfig({ RUNNER_TOKEN: token, RUNNER_LISTEN: '9000' })).toThrow(/host:port/);
    expect(() => loadConfig({ RUNNER_TOKEN: token }, ['--no-such-flag'])).toThrow(/--help/);
  });

  it('takes only an http(s) public URL, since browsers are sent there', () => {
    for (const url of ['javascript:alert(1)', 'data:text/html,x', 'ftp://runner.acme.internal', 'https://runner.acme.internal/?x=1']) {
      expect(() => loadConfig({ RUNNER_TOKEN: token, RUNNER_PUBLIC_URL: url })).toThrow(/RUNNER_PUBLIC_URL must be an http:\/\/ or https:\/\/ URL/);
    }
  });

  it('documents every setting in --help and in the README', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../README.md'), 'utf8');
    for (const s of settings) {
      expect(helpText()).toContain(`--${s.flag}`);
      expect(readme).toContain(`--${s.flag}`);
      expect(readme).toContain(s.env);
    }
  });
});
