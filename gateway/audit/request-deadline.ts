import { codedError, httpFor } from '../../platform/errors/coded-error.js';
import { ErrorCode, isTemporary } from '../../platform/errors/error-codes.js';
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

function deadlineExceeded(): GraphQLError {
  return codedError(ErrorCode.DEADLINE_EXCEEDED, 'The request did not finish in time. If it was a change, it may still be made: check before repeating it.');
}

type Result = { readonly errors?: readonly GraphQLError[] | undefined; readonly data?: unknown };

/**
 * 503 and Retry-After when the result is only a temporary failure (no data). Apollo Server
 * answers 400 for a result without data unless an error carries `extensions.http`, which it
 * takes off before the error is sent.
 */
export function markTemporaryFailure<T extends Result>(result: T): T {
  if (!isTemporaryFailure(result)) return result;
  return {
    ...result,
    errors: (result.errors ?? []).map((error) => {
      const { code, retryAfterSeconds } = error.extensions;
      // The code's own status (platform/errors), Retry-After the failure's own seconds where it said (a rate limit).
      const http = httpFor(code as ErrorCode, typeof retryAfterSeconds === 'number' ? retryAfterSeconds : AUDIT_RETRY_AFTER_SECONDS);
      return new GraphQLError(error.message, { extensions: { ...error.extensions, http } });
    }),
  };
}

/** Only a temporary failure: no data, and every error's code is a temporary one (platform/errors/error-codes.ts). */
export function isTemporaryFailure(result: Result): boolean {
  if (result.data !== undefined && result.data !== null) return false;
  const codes = (result.errors ?? []).map((error) => error.extensions?.code);
  return codes.length > 0 && codes.every(isTemporary);
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
