import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { codedError } from '../../platform/errors/coded-error.js';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import type { Claim } from './idempotency-keys.js';

/**
 * What a retry with a used Idempotency-Key is told. The first answer, replayed as it was
 * (errors rebuilt from their JSON form, so Apollo sends them unchanged), or why not:
 * `IDEMPOTENCY_KEY_IN_USE` (the first request has not finished, or its gateway died and the
 * reconciliation has not settled it yet: 503, retry), `IDEMPOTENCY_KEY_REUSED` (the key was used
 * for a different change: a client bug, never retried), `ALREADY_MADE` (made, but its answer
 * was lost with the gateway that made it).
 */

export function idempotencyRefusal(kind: Exclude<Claim['kind'], 'claimed' | 'replay'>): GraphQLError {
  switch (kind) {
    case 'in-progress':
      return codedError(ErrorCode.IDEMPOTENCY_KEY_IN_USE, 'A request with this Idempotency-Key has not finished. Try again shortly with the same key.');
    case 'other-change':
      return codedError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'This Idempotency-Key was used for a different change. Use a new key for a new change.');
    case 'made-without-answer':
      return codedError(ErrorCode.ALREADY_MADE, 'This change was already made with this Idempotency-Key; its answer is no longer available. Do not repeat it.');
  }
}

export function replayedResult(json: string): { data?: Record<string, unknown> | null; errors?: GraphQLError[] } {
  const stored = JSON.parse(json) as { data?: Record<string, unknown> | null; errors?: GraphQLFormattedError[] };
  return {
    ...(stored.data !== undefined ? { data: stored.data } : {}),
    ...(stored.errors
      ? {
          errors: stored.errors.map(
            (error) =>
              new GraphQLError(error.message, { ...(error.path ? { path: error.path } : {}), ...(error.extensions ? { extensions: error.extensions } : {}) }),
          ),
        }
      : {}),
  };
}
