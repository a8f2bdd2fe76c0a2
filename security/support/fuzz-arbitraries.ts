import fc from 'fast-check';

// Generators for the bad-input suite (item 6 of SECURITY.md). Bodies are produced as the exact text
// sent on the wire, so nesting deeper than JSON.stringify could manage and own `__proto__` keys are
// possible.

export const pollutionKeys = ['__proto__', 'constructor', 'prototype'] as const;
/** The marker a polluted Object.prototype would carry. */
export const pollutionMarker = 'rcPolluted';

/** Define an own enumerable property, even `__proto__`, so JSON.stringify writes it as a key. */
export function defineOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Percent-encode any string, lone surrogates included (as their raw, invalid, 3-byte form). */
export function encodeSegment(s: string): string {
  let out = '';
  for (const ch of s) {
    try {
      out += encodeURIComponent(ch);
    } catch {
      const c = ch.charCodeAt(0);
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

/** Strings of up to ~maxBytes UTF-8 bytes built from one repeated unit (ASCII, accents, emoji, NUL, quotes). */
export function hugeString(minBytes: number, maxBytes: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('x', 'é', '💥', '\u0000', '"\\', 'a\u202e', '𝕏'), fc.integer({ min: minBytes, max: maxBytes }))
    .map(([unit, bytes]) => unit.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(JSON.stringify(unit).slice(1, -1))))));
}

export const interestingStrings = [
  '',
  ' ',
  '   \t\n',
  '\u0000',
  '\u202e',
  '💥',
  'ﷺ',
  '\ufeff',
  'bitbucket.org',
  'github.com',
  'admin@acme.test',
  'https://bitbucket.org/acme/widgets',
  "'; DROP TABLE runners; --",
  '" OR 1=1 --',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../etc/passwd',
  'true',
  '1',
  'null',
  '__proto__',
  'constructor',
] as const;

export function leafArbitrary(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 4 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 3 },
    { arbitrary: fc.constantFrom(...interestingStrings), weight: 3 },
    { arbitrary: fc.integer(), weight: 1 },
    { arbitrary: fc.constantFrom(0, -1, 1e308, -1e-308, 2 ** 53 + 1, 0.1), weight: 1 },
    { arbitrary: fc.double(), weight: 1 },
    { arbitrary: fc.boolean(), weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: hugeString(300, 3_000), weight: 1 },
  );
}

export function keyArbitrary(knownKeys: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 8 }), weight: 1 },
    { arbitrary: fc.constantFrom(...pollutionKeys, 'toString', 'valueOf', 'hasOwnProperty', 'toJSON', 'then'), weight: 2 },
    ...(knownKeys.length ? [{ arbitrary: fc.constantFrom(...knownKeys), weight: 4 }] : []),
  );
}

/** Any JSON-able value: objects, arrays, unicode and wrong-typed leaves, under known and odd keys. */
export function valueArbitrary(knownKeys: readonly string[]): fc.Arbitrary<unknown> {
  return fc.anything({ key: keyArbitrary(knownKeys), values: [leafArbitrary()], maxDepth: 4, maxKeys: 6, withBoxedValues: true, withSparseArray: true });
}

/**
 * Put `key: payload` at `depth` levels inside `body` (wrapping non-objects), with an own property so
 * the JSON text carries a literal `"__proto__"` key.
 */
export function injectKey(body: unknown, path: readonly string[], key: string, payload: unknown): unknown {
  const root: object = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as object) : {};
  let cur: object = root;
  for (const step of path) {
    const child = {};
    defineOwn(cur, step, child);
    cur = child;
  }
  defineOwn(cur, key, payload);
  return root;
}

export function pollutionPayloadArbitrary(): fc.Arbitrary<unknown> {
  return fc.constantFrom<unknown>(
    { [pollutionMarker]: 'yes' },
    { prototype: { [pollutionMarker]: 'yes' } },
    { isAdmin: true, role: 'admin', [pollutionMarker]: 'yes' },
    { toString: pollutionMarker },
    'yes',
    null,
    [{ [pollutionMarker]: 'yes' }],
  );
}

/** Nested arrays/objects `depth` deep, as text (JSON.stringify could not write 10k levels). */
export function deepJsonArbitrary(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom('array', 'object', 'mixed', 'in-field', 'unterminated'), fc.integer({ min: 50, max: 12_000 }))
    .map(([kind, depth]) => {
      if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
      if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
      if (kind === 'mixed') return `${'{"__proto__":['.repeat(depth)}null${']}'.repeat(depth)}`;
      if (kind === 'in-field') return `{"name":${'['.repeat(depth)}${']'.repeat(depth)},"host":${'{"x":'.repeat(depth)}0${'}'.repeat(depth)}}`;
      return '['.repeat(depth);
    });
}

/** Text that is not JSON, or JSON that body-parser's strict mode refuses. */
export function malformedJsonArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('{', '}', '{"a":}', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":undefined}', 'null', 'true', '1', '"str"', '\u0000', '{"a":"\u0000"}', '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__":'),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.json().map((j) => j.slice(0, Math.max(1, Math.floor(j.length / 2)))),
  );
}

/** A query string (with its `?`), odd keys, values and encodings included. */
export function queryArbitrary(realValues: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    fc.constantFrom('runnerId', 'host', 'csrf', 'mode', 'returnTo', 'flow', 'limit', 'cursor', 'q', ...pollutionKeys, '__proto__[rcPolluted]', 'constructor[prototype][rcPolluted]', 'a[b][c]', 'a[]'),
    fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeSegment),
  );
  const value = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 30 }).map(encodeSegment),
    fc.string({ unit: 'binary', maxLength: 10 }).map(encodeSegment),
    fc.constantFrom(...realValues, 'popup', 'tab', 'bitbucket.org', '%2F%2Fevil.example', '%2F%5Cevil.example', 'javascript%3Aalert(1)', 'https%3A%2F%2Fevil.example', '%ZZ', '%', '%00', 'yes'),
    fc.integer({ min: 500, max: 6_000 }).map((n) => 'y'.repeat(n)),
  );
  return fc.oneof(
    { arbitrary: fc.constant(''), weight: 1 },
    { arbitrary: fc.array(fc.tuple(key, value), { maxLength: 6 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`), weight: 6 },
    { arbitrary: fc.constantFrom('?', '?&&&', '?=', '?%', '?%ZZ=1', '?a=%ED%A0%80', `?__proto__[${pollutionMarker}]=yes`, `?constructor[prototype][${pollutionMarker}]=yes`, '?a[b][c][d]=1', '?a[]=1&a[]=2', '?runnerId=1&runnerId=2', '?%00=%00'), weight: 2 },
  );
}

/** Odd path-parameter values, already written as they go on the wire. */
export function oddParamArbitrary(realIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E%2F%2E%2E',
      '%00',
      '%00abc',
      '%ZZ',
      '%',
      '%E0%A4%A',
      '%ED%A0%80',
      '%C0%AE%C0%AE',
      'a%2Fb',
      '%2F',
      '%5C..%5C',
      ...pollutionKeys,
      'toString',
      'hasOwnProperty',
      'null',
      'undefined',
      'NaN',
      '-1',
      '0',
      '1e309',
      '%27%20OR%201%3D1--',
      '%27%3B%20DROP%20TABLE%20runners%3B--',
      '*',
      '%2A',
      ';',
      ',',
      '~',
      '%7B%7D',
    ),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeSegment),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeSegment),
    fc.integer({ min: 300, max: 3_000 }).map((n) => 'a'.repeat(n)),
    fc.uuid(),
    ...(realIds.length
      ? [fc.tuple(fc.constantFrom(...realIds), fc.constantFrom('%00', '..', '%20', 'x', '%2F..', '%0A')).map(([id, s]) => `${id}${s}`), fc.constantFrom(...realIds).map((id) => id.toUpperCase())]
      : []),
  );
}

/** Context URLs: near misses of real Bitbucket URLs, and plain junk. */
export function contextUrlArbitrary(opts: { emulatorPort: number }): fc.Arbitrary<string> {
  const scheme = fc.constantFrom('https://', 'https://', 'http://', 'HTTPS://', 'ftp://', 'ssh://git@', 'git://', '//', 'javascript:', 'file://', 'https:/', 'https:\\\\', '');
  const host = fc.constantFrom(
    'bitbucket.org',
    'bitbucket.org',
    'BITBUCKET.ORG',
    'bitbucket.org.',
    'www.bitbucket.org',
    'bitbucket.org.evil.example',
    'evil.example',
    'bitbucket.com',
    'bitbuckét.org',
    'xn--bitbucket-9za.org',
    'bitbucket.org:443',
    'bitbucket.org:8082',
    'user:pass@bitbucket.org',
    'bitbucket.org@evil.example',
    'evil.example#@bitbucket.org',
    'localhost',
    `localhost:${opts.emulatorPort}`,
    `127.0.0.1:${opts.emulatorPort}`,
    '[::1]',
    '169.254.169.254',
    'api.bitbucket.org',
    'bitbucket.org%2F..',
    'bitbucket.org%00.evil.example',
    'github.com',
    'gitlab.com',
  );
  const owner = fc.oneof(
    fc.constantFrom('acme', 'acme', 'ACME', 'acme.', '..', '.', '%2e%2e', 'acm', 'acme%00', '~acme', 'acme;', '__proto__', 'constructor', ''),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  );
  const repo = fc.oneof(
    fc.constantFrom('widgets', 'widgets', 'widgets.git', 'Widgets', 'widget', 'widgets%00', '..', 'widgets/..', 'widgets/../../..', '%2e%2e%2f%2e%2e', 'widgets;ls', 'widgets`id`', '$(id)'),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  );
  const suffix = fc.oneof(
    fc.constantFrom(
      '',
      '/',
      '/src/main',
      '/src/main/README.md',
      '/branch/feature/login',
      '/branch/feature%2Flogin',
      '/branch/..%2F..%2Fetc',
      '/src/nope',
      `/commits/${'a'.repeat(40)}`,
      '/commits/zzzz',
      `/commits/${'0'.repeat(40)}`,
      '/pull-requests/1',
      '/pull-requests/0',
      '/pull-requests/-1',
      '/pull-requests/99999999999999999999',
      '/pull-requests/1e3',
      '/pull-requests/abc',
      '/pull-requests/1/diff',
      '/pull-requests/ 1',
      '/issues/1',
      '/wiki',
      '/src/main/%00',
      `/src/${'x'.repeat(500)}`,
    ),
    fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => `/${s}`),
  );
  const tail = fc.constantFrom('', '', '?at=main', '?at=%00', '#readme', `?x=${'y'.repeat(100)}`, '?__proto__[a]=1', ' ', '\n', '\t', '%20');
  const nearMiss = fc.tuple(scheme, host, owner, repo, suffix, tail).map(([s, h, o, r, x, t]) => `${s}${h}/${o}/${r}${x}${t}`);
  return fc.oneof(
    { arbitrary: nearMiss, weight: 8 },
    { arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }), weight: 1 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 80 }), weight: 1 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
    { arbitrary: fc.constantFrom(...interestingStrings), weight: 1 },
    { arbitrary: hugeString(1_900, 2_600).map((s) => `https://bitbucket.org/acme/${s}`), weight: 1 },
  );
}
