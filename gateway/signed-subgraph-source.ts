import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER, signGatewayClaims } from '../platform/gateway-claims.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import type { GatewayContext } from './context.js';

/**
 * A subgraph fetch that carries the caller's principal as a token signed by the gateway,
 * addressed to that one subgraph and good for this one request (bound to its query, variables
 * and operation name, single use, 30 s). Nothing the client sent (its own token, its headers)
 * is forwarded.
 */
export class SignedSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #subgraph: SubgraphName;
  readonly #key: Uint8Array;
  readonly #observe: ((subgraph: SubgraphName, query: string) => void) | undefined;

  constructor(options: { subgraph: SubgraphName; url: string; key: Uint8Array; observe?: ((subgraph: SubgraphName, query: string) => void) | undefined }) {
    // Node's own fetch (undici) honours the subgraph's Keep-Alive timeout and retires idle
    // sockets before the server closes them; the default pooled fetcher could reuse a socket
    // the subgraph was just closing, and the request failed with "socket hang up".
    super({ url: options.url, fetcher: globalThis.fetch as unknown as RemoteGraphQLDataSource['fetcher'] });
    this.#subgraph = options.subgraph;
    this.#key = options.key;
    this.#observe = options.observe;
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Requests the gateway makes on its own behalf (health checks) carry no principal: send nothing.
    if (!('principal' in context) || !context.principal) return;
    const query = request.query ?? '';
    this.#observe?.(this.#subgraph, query);
    // Signed last thing before the fetch, over exactly what RemoteGraphQLDataSource will send.
    const token = await signGatewayClaims(
      this.#key,
      this.#subgraph,
      { principal: context.principal, requestId: context.requestId },
      { query, variables: request.variables, operationName: request.operationName },
    );
    request.http?.headers.set('authorization', `Bearer ${token}`);
    request.http?.headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}
