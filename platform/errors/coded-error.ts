import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { DEFAULT_RETRY_AFTER_SECONDS, ERROR_CODES, ErrorCode } from './error-codes.js';

/** A GraphQL error with one of our codes, for a field or a part of an answer (HTTP 200 stays). */
export function codedError(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/**
 * The one answer to everything the policy withholds — the gateway's redaction, a subgraph's
 * guard, a route's door check — so no refusal says why, or differs by where it was decided.
 */
export function forbiddenError(): GraphQLError {
  return codedError(ErrorCode.FORBIDDEN, 'Forbidden');
}

/**
 * Apollo's `extensions.http` for a request refused whole with `code`: the code's status, and
 * Retry-After when it passes (the failure's own seconds, else the default). Apollo takes it off
 * before the error is sent; a JSON route gets the same status and header from error-answer.ts.
 */
export function httpFor(code: ErrorCode, retryAfterSeconds?: number): { status: number; headers: HeaderMap } {
  const { status, temporary } = ERROR_CODES[code];
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS));
  return { status, headers: new HeaderMap(temporary ? [['retry-after', String(seconds)]] : []) };
}

/**
 * An error that refuses the whole `/graphql` request, answered with its code's status. When
 * to retry is in the body too when the caller was told a time (`retryAfterSeconds`, a rate limit).
 */
export function requestRefusal(code: ErrorCode, message: string, options: { retryAfterSeconds?: number } = {}): GraphQLError {
  const http = httpFor(code, options.retryAfterSeconds);
  const said = options.retryAfterSeconds !== undefined && ERROR_CODES[code].temporary;
  return new GraphQLError(message, { extensions: { code, ...(said ? { retryAfterSeconds: options.retryAfterSeconds } : {}), http } });
}
