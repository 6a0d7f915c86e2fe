import { GraphQLError } from 'graphql';

/** The two answers a stage gives when something it depends on is down: both temporary (503, gateway/audit/request-deadline.ts). */

export function factsUnavailable(): GraphQLError {
  return new GraphQLError('A service this request depends on is unavailable, so nothing was read or changed. Try again shortly.', {
    extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' },
  });
}

export function auditUnavailable(): GraphQLError {
  return new GraphQLError('The audit trail is unavailable, so no personal data was returned. Try again shortly.', {
    extensions: { code: 'AUDIT_UNAVAILABLE' },
  });
}
