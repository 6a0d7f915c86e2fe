import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '../../platform/errors/error-codes.js';
import { normalizeError } from '../../platform/errors/normalize-error.js';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from './aliases.js';

/**
 * The errors of a redacted response: the shield's denials, then what the gateway and the
 * subgraphs said, as the client may see them.
 */

type AnyError = GraphQLError | GraphQLFormattedError;

function pathKey(path: readonly (string | number)[] | undefined): string {
  return path ? path.join('.') : '';
}

/** Errors about data fetched only for rules must not reveal that it was fetched. */
function isInternalError(error: AnyError): boolean {
  return (error.path ?? []).some((segment) => typeof segment === 'string' && segment.startsWith(INTERNAL_ALIAS_PREFIX));
}

/**
 * An error from the fetch, as the client may see it: its path in the client's response keys,
 * and what the one normaliser lets through for an error of the fetch (platform/errors): a
 * resolver's message written for clients, else DOWNSTREAM_SERVICE_ERROR for a subgraph that
 * failed, timed out, could not be reached or answered nonsense (what did arrive was still
 * redacted as usual), else INTERNAL_SERVER_ERROR; never which record or why.
 */
function clientFacing(error: AnyError): GraphQLError {
  const path = error.path?.map((segment) =>
    typeof segment === 'string' && segment.startsWith(CLIENT_KEY_PREFIX) ? segment.slice(CLIENT_KEY_PREFIX.length) : segment,
  );
  const { code, message } = normalizeError(error, { fetched: true });
  return new GraphQLError(message, { ...(path ? { path } : {}), extensions: { code } });
}

/**
 * Once per path, minus anything about internal data. Where the re-execution only found the
 * null a failed fetch left behind, the fetch's own error explains it better.
 */
export function mergeErrors(redaction: readonly AnyError[], fetched: readonly AnyError[]): GraphQLError[] | undefined {
  const visibleFetched = fetched.filter((error) => !isInternalError(error)).map(clientFacing);
  const fetchedPaths = visibleFetched.map((error) => pathKey(error.path)).filter((key) => key !== '');
  const explainedByFetch = (error: AnyError) => {
    if (error.extensions?.code === ErrorCode.FORBIDDEN) return false;
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
