import pino from 'pino';

export function createLogger(level: string) {
  return pino({
    name: 'runner',
    level,
    redact: {
      paths: ['token', '*.token', 'accessToken', '*.accessToken', 'refreshToken', '*.refreshToken', 'clientSecret', '*.clientSecret', 'envelope', '*.envelope', 'tokenEnvelope', '*.tokenEnvelope', 'code', '*.code'],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
