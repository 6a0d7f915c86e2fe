import type { GraphQLError } from 'graphql';
import { codedError } from '../../../platform/errors/coded-error.js';
import { ErrorCode } from '../../../platform/errors/error-codes.js';

/** The two answers a stage gives when something it depends on is down: both temporary (503, gateway/audit/request-deadline.ts). */

export function factsUnavailable(): GraphQLError {
  return codedError(ErrorCode.DOWNSTREAM_SERVICE_ERROR, 'A service this request depends on is unavailable, so nothing was read or changed. Try again shortly.');
}

export function auditUnavailable(): GraphQLError {
  return codedError(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable, so no personal data was returned. Try again shortly.');
}
