import { codedError } from './coded-error.js';
import type { ErrorCode } from './error-codes.js';
import { mostSignificantError, normalizeError, type NormalizedError } from './normalize-error.js';

/**
 * A JSON route's answer for an error: the status of its code, GraphQL's error shape (so a client
 * reads `/graphql` and a route the same way), and `Retry-After` for a failure that passes.
 */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly errors: readonly [{ readonly message: string; readonly extensions: { readonly code: ErrorCode } }] };
  readonly headers?: Readonly<Record<string, string>>;
}

function answerOf(error: NormalizedError): ErrorAnswer {
  return {
    status: error.status,
    body: { errors: [{ message: error.message, extensions: { code: error.code } }] },
    ...(error.retryAfterSeconds !== undefined ? { headers: { 'retry-after': String(error.retryAfterSeconds) } } : {}),
  };
}

/** The answer for anything thrown or returned as an error (masked unless its code is client-safe). */
export function errorAnswer(error: unknown): ErrorAnswer {
  return answerOf(normalizeError(error));
}

/** A route's own refusal, with a message written for the caller. */
export function refusal(code: ErrorCode, message: string): ErrorAnswer {
  return errorAnswer(codedError(code, message));
}

/** The answer for a GraphQL result's errors, when a route refuses the whole request over them. */
export function errorsAnswer(errors: readonly unknown[] | undefined): ErrorAnswer {
  return answerOf(mostSignificantError(errors));
}
