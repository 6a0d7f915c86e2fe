import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs. Personal data never reaches a log line: callers log identifiers of
 * requests and operations only, and these paths are redacted as a second line of defence
 * in case a header or variables object is ever logged by mistake.
 */
const REDACTED_PATHS = ['req.headers.authorization', 'headers.authorization', 'authorization', 'token', 'variables', '*.variables', 'body', '*.body'];

/** `destination`: stdout unless given (tests capture the lines to prove what they never contain). */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options = {
    name: service,
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
