import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from '../../shield/circles.js';

/**
 * The errors of a redacted response: the shield's denials, then what the gateway and the
 * subgraphs said, as the client may see them.
 */

type AnyError = GraphQLError | GraphQLFormattedError;

/** Error codes whose messages were written for clients (by the subgraphs or the gateway); the rest are replaced. */
const CLIENT_SAFE_CODES = new Set(['FORBIDDEN', 'BAD_USER_INPUT']);

export const DOWNSTREAM_MESSAGE = 'A service this request depends on did not answer in time or failed, so part of the answer is missing. Try again shortly.';

function pathKey(path: readonly (string | number)[] | undefined): string {
  return path ? path.join('.') : '';
}

/** Errors about data fetched only for rules must not reveal that it was fetched. */
function isInternalError(error: AnyError): boolean {
  return (error.path ?? []).some((segment) => typeof segment === 'string' && segment.startsWith(INTERNAL_ALIAS_PREFIX));
}

/**
 * An error from the fetch, as the client may see it: its path in the client's response keys,
 * and a generic message unless its code marks the message as written for clients (an
 * upstream message can quote the data it choked on).
 */
function clientFacing(error: AnyError): GraphQLError {
  const path = error.path?.map((segment) => (typeof segment === 'string' && segment.startsWith(CLIENT_KEY_PREFIX) ? segment.slice(CLIENT_KEY_PREFIX.length) : segment));
  const code = error.extensions?.code;
  if (typeof code === 'string' && CLIENT_SAFE_CODES.has(code)) {
    return new GraphQLError(error.message, { ...(path ? { path } : {}), extensions: { code } });
  }
  // A subgraph that failed, timed out, could not be reached or answered nonsense: the client is
  // told so (what did arrive was still redacted as usual), never which record or why.
  if (code === 'DOWNSTREAM_SERVICE_ERROR' || typeof error.extensions?.serviceName === 'string') {
    return new GraphQLError(DOWNSTREAM_MESSAGE, { ...(path ? { path } : {}), extensions: { code: 'DOWNSTREAM_SERVICE_ERROR' } });
  }
  return new GraphQLError('Internal error', { ...(path ? { path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * Once per path, minus anything about internal data. Where the re-execution only found the
 * null a failed fetch left behind, the fetch's own error explains it better.
 */
export function mergeErrors(redaction: readonly AnyError[], fetched: readonly AnyError[]): GraphQLError[] | undefined {
  const visibleFetched = fetched.filter((error) => !isInternalError(error)).map(clientFacing);
  const fetchedPaths = visibleFetched.map((error) => pathKey(error.path)).filter((key) => key !== '');
  const explainedByFetch = (error: AnyError) => {
    if (error.extensions?.code === 'FORBIDDEN') return false;
    const key = pathKey(error.path);
    return fetchedPaths.some((fetchedKey) => fetchedKey === key || fetchedKey.startsWith(`${key}.`));
  };
  const merged: GraphQLError[] = [];
  const seen = new Set<string>();
  const add = (error: AnyError) => {
    // Errors without a path (a whole fetch that failed) once per message and code.
    const key = pathKey(error.path) || `:${String(error.extensions?.code)}:${error.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    merged.push(error instanceof GraphQLError ? error : new GraphQLError(error.message, { path: error.path, extensions: error.extensions }));
  };
  for (const error of redaction) if (!explainedByFetch(error)) add(error);
  for (const error of visibleFetched) add(error);
  return merged.length > 0 ? merged : undefined;
}
