/**
 * Every error code any door of the system sends — `/graphql`, the subgraphs, and the JSON and
 * CSV routes beside the API — with the one HTTP status it is answered with, whether its message
 * was written for the caller, and whether it passes (retry after `Retry-After`).
 *
 * One list, so a client learns one vocabulary and a REST route and `/graphql` cannot disagree
 * about the same failure. Apollo Server's own codes keep Apollo's names (clients and Apollo's
 * links recognise them); the rest are ours. The README's table of codes is written from this
 * list (`errorCodeTable`) and a test checks it is current.
 */

export enum ErrorCode {
  // Apollo Server's own.
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  BAD_REQUEST = 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  // The request.
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  OPERATION_NOT_TRUSTED = 'OPERATION_NOT_TRUSTED',
  NOT_FOUND = 'NOT_FOUND',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  // Changes and their retries.
  ALREADY_CLOSED = 'ALREADY_CLOSED',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  ALREADY_MADE = 'ALREADY_MADE',
  IDEMPOTENCY_KEY_IN_USE = 'IDEMPOTENCY_KEY_IN_USE',
  // Limits.
  RATE_LIMITED = 'RATE_LIMITED',
  RATE_LIMIT_UNAVAILABLE = 'RATE_LIMIT_UNAVAILABLE',
  // What the request depends on.
  AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE',
  DOWNSTREAM_SERVICE_ERROR = 'DOWNSTREAM_SERVICE_ERROR',
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  EXPORT_INCOMPLETE = 'EXPORT_INCOMPLETE',
  GATEWAY_UNAVAILABLE = 'GATEWAY_UNAVAILABLE',
}

export interface ErrorCodeDefinition {
  /** The HTTP status a request refused whole with this code is answered with. */
  readonly status: number;
  /** The message was written for the caller; otherwise it is replaced (it may quote data or internals). */
  readonly clientSafe: boolean;
  /** It passes: answered with `Retry-After`, and a retry of the same request may succeed. */
  readonly temporary: boolean;
  /**
   * A subgraph's resolver raises it for the client, so the gateway passes it on, message and
   * all. Any other error a subgraph sends means the gateway's own request or the subgraph
   * failed: the client gets DOWNSTREAM_SERVICE_ERROR, never the subgraph's words (a validation
   * message would name the gateway's internal aliases, a driver's would quote data).
   */
  readonly relayed?: true;
  /** For the README: what it means and what the caller does. */
  readonly meaning: string;
}

/**
 * Statuses are what the door answers today for a request refused whole; a field refused
 * inside an otherwise good answer keeps HTTP 200 with the code at its path (GraphQL's partial
 * results). PERSISTED_QUERY_NOT_FOUND is 200 because that is what Apollo's persisted-query
 * link expects before it sends the text.
 */
export const ERROR_CODES: { readonly [code in ErrorCode]: ErrorCodeDefinition } = {
  GRAPHQL_PARSE_FAILED: { status: 400, clientSafe: true, temporary: false, meaning: 'the operation is not valid GraphQL' },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    clientSafe: true,
    temporary: false,
    meaning: 'the operation does not fit the API schema or a limit (depth, aliases, size)',
  },
  BAD_USER_INPUT: {
    status: 400,
    clientSafe: true,
    temporary: false,
    relayed: true,
    meaning: 'an argument or query parameter is wrong (the message says which); includes every id that does not decode',
  },
  BAD_REQUEST: {
    status: 400,
    clientSafe: true,
    temporary: false,
    meaning: 'the HTTP request itself is malformed (body not JSON, a persisted-query hash that does not match)',
  },
  OPERATION_RESOLUTION_FAILURE: { status: 400, clientSafe: true, temporary: false, meaning: 'the request names no operation the document has' },
  PERSISTED_QUERY_NOT_FOUND: { status: 200, clientSafe: true, temporary: false, meaning: 'a hash not in the trusted-documents manifest; send the text' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, clientSafe: true, temporary: false, meaning: 'automatic persisted queries are off' },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    clientSafe: false,
    temporary: false,
    meaning: 'a fault on our side; the message is always the same, the request id finds the log line',
  },
  UNAUTHENTICATED: { status: 401, clientSafe: true, temporary: false, meaning: 'no token, or one that does not verify or has expired: sign in again' },
  FORBIDDEN: {
    status: 403,
    clientSafe: true,
    temporary: false,
    relayed: true,
    meaning: 'the policy withholds it; never says why. Inside an answer: that field is null, render it as withheld',
  },
  OPERATION_NOT_TRUSTED: {
    status: 403,
    clientSafe: true,
    temporary: false,
    meaning: 'a first-party app sent an operation not in the trusted-documents manifest',
  },
  NOT_FOUND: { status: 404, clientSafe: true, temporary: false, relayed: true, meaning: 'no such path, alert, request or record' },
  METHOD_NOT_ALLOWED: { status: 405, clientSafe: true, temporary: false, meaning: 'the path takes another HTTP method' },
  PAYLOAD_TOO_LARGE: { status: 413, clientSafe: true, temporary: false, meaning: 'the body is larger than MAX_BODY_BYTES' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, clientSafe: true, temporary: false, meaning: 'a POST route takes application/json only' },
  ALREADY_CLOSED: { status: 409, clientSafe: true, temporary: false, meaning: 'the privacy alert was closed already' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 400,
    clientSafe: true,
    temporary: false,
    meaning: 'the Idempotency-Key was used for a different change: use a new key, never retry',
  },
  ALREADY_MADE: {
    status: 400,
    clientSafe: true,
    temporary: false,
    meaning: 'the change was made with this Idempotency-Key but its answer was lost: do not repeat it',
  },
  IDEMPOTENCY_KEY_IN_USE: {
    status: 503,
    clientSafe: true,
    temporary: true,
    meaning: 'the first request with this Idempotency-Key has not finished: retry with the same key',
  },
  RATE_LIMITED: {
    status: 429,
    clientSafe: true,
    temporary: true,
    meaning: 'over a rate limit (requests, failed sign-ins, emergency lookups); `extensions.retryAfterSeconds` says when',
  },
  RATE_LIMIT_UNAVAILABLE: { status: 503, clientSafe: true, temporary: true, meaning: 'the emergency lookup limit cannot be checked, so nothing was looked up' },
  AUDIT_UNAVAILABLE: { status: 503, clientSafe: true, temporary: true, meaning: 'the audit trail cannot be written, so nothing was read, changed or exported' },
  DOWNSTREAM_SERVICE_ERROR: {
    status: 503,
    clientSafe: true,
    temporary: true,
    meaning: 'a service the request depends on failed or was slow; what did arrive is redacted as usual',
  },
  DEADLINE_EXCEEDED: {
    status: 503,
    clientSafe: true,
    temporary: true,
    meaning: 'the request ran out of time; a change may still be made: check before repeating it',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    clientSafe: true,
    temporary: true,
    meaning: 'the gateway cannot verify tokens just now (key set) or a subgraph is saturated',
  },
  EXPORT_INCOMPLETE: {
    status: 502,
    clientSafe: true,
    temporary: false,
    meaning: 'a subject access export whose request names no subject the gateway can resolve; no partial export is given',
  },
  GATEWAY_UNAVAILABLE: { status: 502, clientSafe: true, temporary: false, meaning: 'the web console server cannot reach the gateway' },
};

/** Retry-After when the failure itself does not say (the audit trail's fail-fast window). */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

export function isTemporary(code: unknown): boolean {
  return isErrorCode(code) && ERROR_CODES[code].temporary;
}

/** A code a subgraph's resolver raises for the client (see `relayed`). */
export function isRelayed(code: unknown): code is ErrorCode {
  return isErrorCode(code) && ERROR_CODES[code].relayed === true;
}

export function isClientSafe(code: unknown): boolean {
  return isErrorCode(code) && ERROR_CODES[code].clientSafe;
}

/** The README's table of codes, one row per code in the order above. */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { status, temporary, meaning }]) => `| \`${code}\` | ${status} | ${meaning} | ${temporary ? 'yes, after `Retry-After`' : 'no'} |`,
  );
  return ['| code | HTTP status | meaning | retry |', '|---|---|---|---|', ...rows].join('\n');
}
