import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { AUDIT_RETRY_AFTER_SECONDS } from './audit-log.js';

/**
 * Honest status for failures that are not the caller's fault and pass: the trail or a service
 * the request depends on is unavailable, or the request ran out of time. HTTP 503 with
 * `Retry-After` (clients and proxies retry those; a 400 tells them not to), the GraphQL error
 * code unchanged in the body. And the request deadline: after it, the caller gets
 * DEADLINE_EXCEEDED instead of waiting; work already forwarded (a change) finishes in the
 * background and puts its outcome on the trail.
 */

export const TEMPORARY_FAILURE_CODES: ReadonlySet<string> = new Set(['AUDIT_UNAVAILABLE', 'DOWNSTREAM_SERVICE_ERROR', 'DEADLINE_EXCEEDED', 'IDEMPOTENCY_KEY_IN_USE']);

export function deadlineExceeded(): GraphQLError {
  return new GraphQLError('The request did not finish in time. If it was a change, it may still be made: check before repeating it.', {
    extensions: { code: 'DEADLINE_EXCEEDED' },
  });
}

type Result = { readonly errors?: readonly GraphQLError[] | undefined; readonly data?: unknown };

/**
 * 503 and Retry-After when the result is only a temporary failure (no data). Apollo Server
 * answers 400 for a result without data unless an error carries `extensions.http`, which it
 * takes off before the error is sent.
 */
export function markTemporaryFailure<T extends Result>(result: T): T {
  if (!isTemporaryFailure(result)) return result;
  const http = { status: 503, headers: new HeaderMap([['retry-after', String(AUDIT_RETRY_AFTER_SECONDS)]]) };
  return { ...result, errors: (result.errors ?? []).map((error) => new GraphQLError(error.message, { extensions: { ...error.extensions, http } })) };
}

/** Only a temporary failure: no data, and every error's code is one of TEMPORARY_FAILURE_CODES. */
export function isTemporaryFailure(result: Result): boolean {
  if (result.data !== undefined && result.data !== null) return false;
  const codes = (result.errors ?? []).map((error) => error.extensions?.code);
  return codes.length > 0 && codes.every((code) => typeof code === 'string' && TEMPORARY_FAILURE_CODES.has(code));
}

/** `work`, or DEADLINE_EXCEEDED once `ms` have passed (the work is not cancelled). */
export async function withDeadline<T extends object>(work: Promise<T>, ms: number): Promise<T | { errors: GraphQLError[] }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ errors: GraphQLError[] }>((resolve) => {
    timer = setTimeout(() => resolve({ errors: [deadlineExceeded()] }), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
