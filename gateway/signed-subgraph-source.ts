import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { ErrorCode, isRelayed } from '../platform/errors/error-codes.js';
import { REQUEST_ID_HEADER, signGatewayClaims } from '../platform/gateway-claims.js';
import type { Logger } from '../platform/logger.js';
import { injectTraceContext, withSubgraphFetchSpan } from '../platform/tracing.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import type { GatewayContext } from './context.js';
import type { GatewayMetrics, SubgraphFailureCause } from './metrics/gateway-metrics.js';

/**
 * A subgraph fetch that carries the caller's principal as a token signed by the gateway,
 * addressed to that one subgraph and good for this one request (bound to its query, variables
 * and operation name, single use, 30 s). Nothing the client sent (its own token, its headers)
 * is forwarded.
 *
 * Each fetch has a deadline (SUBGRAPH_TIMEOUT_MS). A subgraph that cannot be reached, is too
 * slow, answers an HTTP error or answers something that is not a GraphQL response becomes one
 * `DOWNSTREAM_SERVICE_ERROR` for the client (the rest of the plan goes on, and redaction
 * decides over what did arrive), and one log line naming the subgraph and the cause: never the
 * body, which may quote personal data.
 */

export class SubgraphUnavailableError extends GraphQLError {
  readonly failure: SubgraphFailureCause;
  constructor(subgraph: SubgraphName, failure: SubgraphFailureCause) {
    super(`subgraph ${subgraph} failed (${failure})`, { extensions: { code: ErrorCode.DOWNSTREAM_SERVICE_ERROR, serviceName: subgraph } });
    this.failure = failure;
  }
}

/** What went wrong, from the error alone; its message is never kept (it can carry a response body). */
function classify(error: unknown): { cause: SubgraphFailureCause; status?: number; detail?: string } {
  if (error instanceof GraphQLError) {
    const response = error.extensions.response as { status?: unknown } | undefined;
    const status = typeof response?.status === 'number' ? response.status : undefined;
    if (status !== undefined) return { cause: status === 401 ? 'rejected' : 'http-status', status };
  }
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return { cause: 'timeout' };
    if (error instanceof SyntaxError || /^Expected JSON response body/.test(error.message)) return { cause: 'bad-response' };
    // undici: TypeError('fetch failed') with the socket error as its cause.
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    if (error.name === 'TypeError') return { cause: 'unreachable', ...(typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? { detail: code } : {}) };
  }
  return { cause: 'unreachable' };
}

/** A GraphQL response is an object with `data` (object or null) and/or `errors` (a list); an entity fetch answers one entity per representation. */
function isWellFormed(response: GatewayGraphQLResponse, representations: unknown): boolean {
  const { data, errors } = response;
  if (data === undefined && errors === undefined) return false;
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) return false;
  if (errors !== undefined && !Array.isArray(errors)) return false;
  if (Array.isArray(representations) && data) {
    const entities = (data as { _entities?: unknown })._entities;
    if (entities !== null && entities !== undefined && (!Array.isArray(entities) || entities.length !== representations.length)) return false;
  }
  return true;
}

export class SignedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #subgraph: SubgraphName;
  readonly #key: Uint8Array;
  readonly #observe: ((subgraph: SubgraphName, query: string) => void) | undefined;
  readonly #logger: Logger | undefined;
  readonly #metrics: GatewayMetrics | undefined;

  constructor(options: {
    subgraph: SubgraphName;
    url: string;
    key: Uint8Array;
    /** The deadline for one fetch, body included. */
    timeoutMs: number;
    logger?: Logger;
    metrics?: GatewayMetrics;
    observe?: ((subgraph: SubgraphName, query: string) => void) | undefined;
  }) {
    // Node's own fetch (undici) honours the subgraph's Keep-Alive timeout and retires idle
    // sockets before the server closes them; the default pooled fetcher could reuse a socket
    // the subgraph was just closing, and the request failed with "socket hang up".
    const timeoutMs = options.timeoutMs;
    const fetchWithDeadline = (url: string, init?: RequestInit) => globalThis.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    super({ url: options.url, fetcher: fetchWithDeadline as unknown as RemoteGraphQLDataSource['fetcher'] });
    this.#subgraph = options.subgraph;
    this.#key = options.key;
    this.#observe = options.observe;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    let response: GatewayGraphQLResponse;
    try {
      // A no-op span unless tracing was started; willSendRequest puts its traceparent on the fetch.
      response = await withSubgraphFetchSpan(this.#subgraph, options.request.operationName ?? undefined, () => super.process(options));
    } catch (error) {
      const { cause, status, detail } = classify(error);
      throw this.#failed(options, seconds(), cause, { ...(status !== undefined ? { status } : {}), ...(detail ? { detail } : {}) });
    }
    if (!isWellFormed(response, options.request.variables?.representations)) throw this.#failed(options, seconds(), 'bad-response', {});
    // An answer with errors the subgraph did not write for clients (its database failed, say;
    // a denial or a bad argument is an answer, platform/errors): the subgraph logged the kind;
    // here, which subgraph and that it happened.
    const failures = (response.errors ?? []).filter((error) => !isRelayed(error.extensions?.code));
    if (failures.length > 0) {
      this.#failed(options, seconds(), 'subgraph-error', { errors: failures.length });
      return response;
    }
    this.#metrics?.subgraphFetch(this.#subgraph, seconds());
    return response;
  }

  #failed(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
    seconds: number,
    cause: SubgraphFailureCause,
    facts: { status?: number; detail?: string; errors?: number },
  ): SubgraphUnavailableError {
    this.#metrics?.subgraphFetch(this.#subgraph, seconds, cause);
    const requestId = 'requestId' in options.context ? (options.context.requestId as GatewayContext['requestId']) : undefined;
    this.#logger?.warn({ rid: requestId, subgraph: this.#subgraph, cause, ...facts, ms: Math.round(seconds * 1000) }, 'subgraph fetch failed');
    return new SubgraphUnavailableError(this.#subgraph, cause);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Requests the gateway makes on its own behalf (health checks) carry no principal: send nothing.
    if (!('principal' in context) || !context.principal) return;
    const { principal, requestId } = context as GatewayContext;
    const query = request.query ?? '';
    this.#observe?.(this.#subgraph, query);
    // Signed last thing before the fetch, over exactly what RemoteGraphQLDataSource will send.
    const token = await signGatewayClaims(
      this.#key,
      this.#subgraph,
      { principal, requestId },
      { query, variables: request.variables, operationName: request.operationName },
    );
    request.http?.headers.set('authorization', `Bearer ${token}`);
    request.http?.headers.set(REQUEST_ID_HEADER, requestId);
    // Trace ids only (W3C traceparent): no data, and outside what the claims bind, which is the body.
    if (request.http) injectTraceContext(request.http.headers);
  }
}
