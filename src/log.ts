import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'reform-desk' },
    redact: {
      paths: ['appSecret', '*.appSecret', 'encryptKey', '*.encryptKey', 'token', '*.token', 'headers.authorization', '*.tenant_access_token'],
      censor: '[redacted]',
    },
  });
}
