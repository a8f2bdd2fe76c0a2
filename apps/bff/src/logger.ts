import pino from 'pino';

/**
 * Structured logs. Anything that could carry a secret is redacted by path, so a careless
 * `log.info({ body })` cannot leak a client secret, password, token or cookie.
 */
export const redactPaths = [
  'password',
  '*.password',
  'oauthPlaintextClientSecret',
  '*.oauthPlaintextClientSecret',
  '*.*.oauthPlaintextClientSecret',
  'clientSecret',
  'client_secret',
  '*.client_secret',
  '*.clientSecret',
  'envelope',
  '*.envelope',
  '*.oauthClientSecretEnvelope',
  'oauthClientSecretEnvelope',
  'runnerToken',
  '*.runnerToken',
  // A developer's sealed API token: ciphertext, but kept out of logs like the client secret's.
  'tokenEnvelope',
  '*.tokenEnvelope',
  '*.*.tokenEnvelope',
  'token',
  // An API token for automation, in the one answer that carries it.
  'secret',
  '*.secret',
  '*.token',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string, name: string, destination?: pino.DestinationStream) {
  return pino({ name, level, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}
export type Logger = ReturnType<typeof createLogger>;
