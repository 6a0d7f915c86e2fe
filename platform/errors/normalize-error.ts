import { DEFAULT_RETRY_AFTER_SECONDS, ERROR_CODES, ErrorCode, isErrorCode, isRelayed } from './error-codes.js';

/**
 * The one normaliser every door uses: anything thrown or returned as an error — a GraphQLError,
 * its formatted JSON, an HttpError, a RewriteError, a driver's error, a string — becomes a
 * code of `ERROR_CODES`, the message the caller may read, the status, and when to retry.
 * It never throws (in the spirit of Apollo Server's `normalizeAndFormatErrors`): it runs
 * where a failure is already being answered, and a second failure there would lose the first.
 */

export interface NormalizedError {
  readonly code: ErrorCode;
  /** Written for the caller: the error's own message only for a client-safe code, else a fixed one. */
  readonly message: string;
  readonly status: number;
  /** Temporary codes only: what `Retry-After` says. */
  readonly retryAfterSeconds?: number;
}

/** The only words an internal error reaches a caller with: no stack, no driver text, no data. */
export const INTERNAL_MESSAGE = 'Internal error';
/** What the caller is told when a subgraph failed; never which record or why. */
export const DOWNSTREAM_MESSAGE = 'A service this request depends on did not answer in time or failed, so part of the answer is missing. Try again shortly.';

const MAX_MESSAGE_LENGTH = 1_000;

interface Read {
  code: unknown;
  message: unknown;
  /** Set on errors @apollo/gateway relays from a subgraph. */
  serviceName: unknown;
  retryAfter: unknown;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** The Retry-After an HttpError's headers or an Apollo `extensions.http` carry. */
function retryAfterHeader(headers: unknown): unknown {
  if (headers instanceof Map) return headers.get('retry-after');
  return field(headers, 'retry-after');
}

function read(error: unknown): Read {
  const extensions = field(error, 'extensions');
  return {
    // GraphQL errors (and their formatted JSON) say it in extensions; HttpError and RewriteError as a property.
    code: field(extensions, 'code') ?? field(error, 'code'),
    message: field(error, 'message'),
    serviceName: field(extensions, 'serviceName'),
    retryAfter:
      field(extensions, 'retryAfterSeconds') ??
      field(error, 'retryAfterSeconds') ??
      retryAfterHeader(field(error, 'headers')) ??
      retryAfterHeader(field(field(extensions, 'http'), 'headers')),
  };
}

function seconds(value: unknown): number {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) && parsed >= 1 ? Math.ceil(parsed) : DEFAULT_RETRY_AFTER_SECONDS;
}

function normalized(code: ErrorCode, message: string, retryAfter?: unknown): NormalizedError {
  const { status, temporary } = ERROR_CODES[code];
  return { code, message, status, ...(temporary ? { retryAfterSeconds: seconds(retryAfter) } : {}) };
}

const internal = (): NormalizedError => normalized(ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE);

export interface NormalizeOptions {
  /**
   * The error came back with the fetch from the subgraphs (gateway/redaction/merge-errors.ts):
   * only what a resolver wrote for clients passes, whatever else it says.
   */
  readonly fetched?: boolean;
}

function normalize(error: unknown, options: NormalizeOptions): NormalizedError {
  const { code, message, serviceName, retryAfter } = read(error);
  if (serviceName !== undefined || options.fetched) {
    if (isRelayed(code) && typeof message === 'string') return normalized(code, message.slice(0, MAX_MESSAGE_LENGTH));
    // A subgraph that failed, timed out, could not be reached or answered nonsense.
    if (serviceName !== undefined || code === ErrorCode.DOWNSTREAM_SERVICE_ERROR)
      return normalized(ErrorCode.DOWNSTREAM_SERVICE_ERROR, DOWNSTREAM_MESSAGE, retryAfter);
    return internal();
  }
  if (!isErrorCode(code) || !ERROR_CODES[code].clientSafe) return internal();
  const text = typeof message === 'string' && message !== '' ? message.slice(0, MAX_MESSAGE_LENGTH) : code;
  return normalized(code, text, retryAfter);
}

export function normalizeError(error: unknown, options: NormalizeOptions = {}): NormalizedError {
  try {
    return normalize(error, options);
  } catch {
    // A getter or proxy that throws while being read: still an answer.
    return internal();
  }
}

/**
 * Which of several errors answers a request refused whole (a route that ran a GraphQL
 * operation): a refusal first (it must not learn more than that it was refused), then a
 * failure that passes (the caller should retry), then our own fault, then the rest, each in
 * the order given.
 */
function rank(error: NormalizedError): number {
  if (error.status === 401 || error.status === 403) return 0;
  if (error.retryAfterSeconds !== undefined) return 1;
  if (error.status >= 500) return 2;
  return 3;
}

export function mostSignificantError(errors: readonly unknown[] | undefined): NormalizedError {
  const all = (errors ?? []).map((error) => normalizeError(error));
  let chosen: NormalizedError | undefined;
  for (const error of all) if (chosen === undefined || rank(error) < rank(chosen)) chosen = error;
  return chosen ?? internal();
}
