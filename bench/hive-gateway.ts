/**
 * The part of GraphQL Hive Gateway's programmatic API (@graphql-hive/gateway 2.x,
 * `createGatewayRuntime`) the bench's peer uses, typed here rather than imported.
 *
 * Why not `import type … from '@graphql-hive/gateway'`: its types pull in graphql-yoga's, which
 * augment graphql's global `GraphQLErrorExtensions` (`http.headers` becomes a plain record), and
 * that breaks the type check of our gateway's own errors, which carry Apollo's HeaderMap there.
 * A module specifier TypeScript cannot see keeps Hive's types out of the project; the shapes
 * below follow Hive's declarations (OnFetchHookPayload, GatewayConfigSupergraph) for the fields
 * used, and the bench proves them at run time: a subgraph answers 401 to an unsigned request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The client's request (a WHATWG Request, possibly @whatwg-node's own rather than Node's global). */
export interface HiveClientRequest {
  readonly headers: { get(name: string): string | null };
}

/** Hive's `onFetch` hook payload, the fields used (OnFetchHookPayload). */
export interface HiveFetchPayload {
  readonly url: string;
  readonly options: { readonly body?: unknown; readonly headers?: unknown } & Record<string, unknown>;
  readonly setOptions: (options: Record<string, unknown>) => void;
  /** A client request's context, or `{ log }` for the gateway's own fetches. */
  readonly context: { readonly request?: HiveClientRequest } | object;
}

export interface HivePlugin {
  onFetch?(payload: HiveFetchPayload): void | Promise<void>;
}

export interface HiveTransportEntry {
  readonly location?: string;
  /** Options of the HTTP transport (@graphql-tools/executor-http), e.g. `deduplicateInflightRequests`. */
  readonly options?: Record<string, unknown>;
}

export interface HiveGatewayConfig {
  /** The supergraph SDL. */
  readonly supergraph: string;
  /** Per subgraph name (or `*`, `*.http`): merged over what the supergraph says. */
  readonly transportEntries?: Readonly<Record<string, HiveTransportEntry>>;
  readonly plugins?: () => HivePlugin[];
  readonly logging?: boolean | 'debug' | 'info' | 'warn' | 'error';
  readonly graphiql?: boolean;
  readonly landingPage?: boolean;
}

/** A Node request listener with the gateway's endpoint and a dispose. */
export interface HiveGatewayRuntime {
  (req: IncomingMessage, res: ServerResponse): void;
  readonly graphqlEndpoint: string;
  dispose(): Promise<void> | void;
}

interface HiveGatewayModule {
  createGatewayRuntime: (config: HiveGatewayConfig) => HiveGatewayRuntime;
}

const HIVE_GATEWAY_MODULE: string = '@graphql-hive/gateway';

export async function loadHiveGateway(): Promise<HiveGatewayModule> {
  // A specifier typed as string: TypeScript leaves the module (and its global augmentations) unread.
  const module = (await import(HIVE_GATEWAY_MODULE)) as Partial<HiveGatewayModule>;
  if (typeof module.createGatewayRuntime !== 'function') throw new Error(`${HIVE_GATEWAY_MODULE} has no createGatewayRuntime: not a 2.x version?`);
  return module as HiveGatewayModule;
}
