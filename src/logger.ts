import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The one logger of the process: JSON lines in production, readable lines in a terminal during
 * development. Secrets are redacted wherever they appear under a known key.
 */
export function createLogger(options: {
  level: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && process.env.NODE_ENV !== 'production');
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { service: 'architect' },
    redact: {
      paths: [
        'token',
        '*.token',
        'botToken',
        '*.botToken',
        'apiKey',
        '*.apiKey',
        'authorization',
        '*.authorization',
        'headers.authorization',
        'signingSecret',
        '*.signingSecret',
      ],
      censor: '[redacted]',
    },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(base);
}
