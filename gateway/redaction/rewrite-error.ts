import { ErrorCode } from '../../platform/errors/error-codes.js';

/**
 * An operation refused before planning; `code` is the GraphQL error code the caller gets, one
 * of platform/errors/error-codes.ts (a code outside the list would not type-check).
 */
export class RewriteError extends Error {
  readonly code: `${ErrorCode}`;
  constructor(code: `${ErrorCode}`, message: string) {
    super(message);
    this.name = 'RewriteError';
    this.code = code;
  }
}

/**
 * The one answer for every id that does not decode — raw, forged, edited, another audience's,
 * another type's, not a string, or at a position the policy does not name — so the answer
 * never says which check failed, or whether the entity exists.
 */
export function invalidId(): RewriteError {
  return new RewriteError(ErrorCode.BAD_USER_INPUT, 'Invalid id');
}
