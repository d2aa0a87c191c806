import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Where a credential could sit in a logged object (a request's or an HTTP client's headers, a config's keys):
 * pino writes `[redacted]` there, so an API key or a password never reaches a log line by accident.
 */
export const redactedPaths = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'headers.cookie',
  'req.headers.cookie',
  '*.headers.cookie',
  'password',
  '*.password',
  'adminPassword',
  '*.adminPassword',
  'api.keys',
  'config.api.keys',
  'config.postgres.password',
  'config.postgres.url',
  'config.airflow.adminPassword',
];

/** Structured JSON logs on stdout (or `destination`), one object per line, with the component that wrote them. */
export function createLogger(component: string, level = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { component },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    destination,
  );
}
