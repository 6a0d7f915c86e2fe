import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { GraphQLError, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import type { Db } from 'mongodb';
import { claimsKey, GatewayClaimsError, verifyGatewayClaims, verifyOperationBinding } from '../../platform/gateway-claims.js';
import { accessLogPlugin, createGraphQLRequestListener, drainableHttpServer, listen, type RunningHttpServer } from '../../platform/graphql-http-server.js';
import { HttpError } from '../../platform/http-body.js';
import { isClientSafe } from '../../platform/errors/error-codes.js';
import { normalizeError } from '../../platform/errors/normalize-error.js';
import type { Logger } from '../../platform/logger.js';
import { ReplayCache, ReplayCacheFullError } from '../../platform/replay-cache.js';
import type { SubgraphConfig, SubgraphName } from './config.js';
import { ensurePostgresIndexes } from './ferretdb-postgres-indexes.js';
import type { RequestIdentity } from './request-identity.js';
import { guardResolvers } from './policy-guard.js';

/** Everything that makes one subgraph: its schema, resolvers, indexes and request store. */
export interface SubgraphDefinition<TContext extends RequestIdentity> {
  readonly name: SubgraphName;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<TContext>;
  /** Creates the indexes the resolvers rely on; idempotent, run at start-up. */
  readonly ensureIndexes: (db: Db) => Promise<void>;
  /** Builds the request context (with fresh dataloaders) for one verified request. */
  readonly createContext: (db: Db, identity: RequestIdentity, config: SubgraphConfig) => TContext;
}

export interface RunningSubgraph extends RunningHttpServer {
  readonly name: SubgraphName;
}

/**
 * Codes whose messages were written for clients pass (platform/errors/error-codes.ts, the same
 * list the gateway uses); anything else is logged by kind and, outside development, answered
 * as the normaliser answers it: INTERNAL_SERVER_ERROR and one fixed message.
 */
function maskUnexpectedErrors(logger: Logger, development: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isClientSafe(code)) return formatted;
    const original = error instanceof GraphQLError ? error.originalError : error;
    // Database and driver errors can quote the data they failed on: log the kind only.
    logger.error({ err: { name: original instanceof Error ? original.name : 'unknown', code } }, 'resolver failed');
    if (development) return formatted;
    const masked = normalizeError(formatted);
    return { message: masked.message, path: formatted.path, extensions: { code: masked.code } };
  };
}

function logOperations(logger: Logger): ApolloServerPlugin<RequestIdentity> {
  return {
    async requestDidStart({ contextValue }) {
      return {
        async didResolveOperation({ operation }) {
          logger.debug({ rid: contextValue.requestId, role: contextValue.principal.role, op: operation?.operation }, 'operation');
        },
      };
    },
  };
}

async function startSubgraph<TContext extends RequestIdentity>(
  definition: SubgraphDefinition<TContext>,
  options: { config: SubgraphConfig; db: Db; logger: Logger },
): Promise<RunningSubgraph> {
  const { config, db, logger } = options;
  const development = config.nodeEnv === 'development';
  await definition.ensureIndexes(db);
  // FerretDB on PostgreSQL: indexes its own createIndex cannot make (ferretdb-postgres-indexes.ts).
  if (config.ferretdbPostgresqlUrl) await ensurePostgresIndexes(config.ferretdbPostgresqlUrl, config.databasePrefix, [definition.name]);
  const http = drainableHttpServer<TContext>(config.shutdownGraceMs);
  const apollo = new ApolloServer<TContext>({
    // Shutdown is the process's (stack/shutdown.ts): requests in flight finish (the drain plugin below).
    stopOnTerminationSignals: false,
    schema: buildSubgraphSchema([
      {
        typeDefs: definition.typeDefs,
        resolvers: guardResolvers(
          definition.name,
          definition.typeDefs,
          definition.resolvers as GraphQLResolverMap<RequestIdentity>,
        ) as GraphQLResolverMap<TContext>,
      },
    ]),
    introspection: config.nodeEnv !== 'production',
    includeStacktraceInErrorResponses: development,
    hideSchemaDetailsFromClientErrors: config.nodeEnv === 'production',
    formatError: maskUnexpectedErrors(logger, development),
    // The gateway always sends the full query, and an automatic persisted query cache shared by
    // every principal would let one confirm another's exact query text: off.
    persistedQueries: false,
    // Inline traces would hand per-field timings to whoever asks for them: off.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      logOperations(logger),
      http.drainPlugin,
      accessLogPlugin<TContext>(),
    ],
  });
  await apollo.start();
  const key = claimsKey(config.signingSecret);
  // Each gateway claim is good for one request: its id is remembered here until it expires.
  const replay = new ReplayCache();
  const listener = createGraphQLRequestListener<TContext>({
    apollo,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    // Only the gateway can call a subgraph (signed claims), so its trace is continued here.
    trustIncomingTraceContext: true,
    ready: async () => {
      await db.command({ ping: 1 });
      return true;
    },
    authenticate: async (req, _requestId, body) => {
      try {
        // Signature and single use first; only then is the body read, and it must be the very
        // operation and variables the claims were issued for (a GET has no body and matches none).
        const claims = await verifyGatewayClaims(key, definition.name, req.headers.authorization, replay);
        verifyOperationBinding(claims, await body());
        return definition.createContext(db, { principal: claims.principal, requestId: claims.requestId }, config);
      } catch (error) {
        if (error instanceof GatewayClaimsError) throw new HttpError(401, 'UNAUTHENTICATED', error.message);
        if (error instanceof ReplayCacheFullError) throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'too many requests in flight; try again');
        throw error;
      }
    },
  });
  const running = await listen(listener, config.port, config.host, http.server);
  logger.info({ url: running.url }, `${definition.name} subgraph listening`);
  return {
    ...running,
    name: definition.name,
    close: async () => {
      await apollo.stop();
      await running.close();
    },
  };
}

/** A subgraph ready to start, its context type sealed inside. */
export interface Subgraph {
  readonly name: SubgraphName;
  readonly typeDefs: DocumentNode;
  /** Its unguarded resolvers, for tests that run them behind the guard with a probe context. */
  readonly resolvers: GraphQLResolverMap<RequestIdentity>;
  readonly ensureIndexes: (db: Db) => Promise<void>;
  start(options: { config: SubgraphConfig; db: Db; logger: Logger }): Promise<RunningSubgraph>;
}

export function defineSubgraph<TContext extends RequestIdentity>(definition: SubgraphDefinition<TContext>): Subgraph {
  return {
    name: definition.name,
    typeDefs: definition.typeDefs,
    // The context type is sealed here: a caller outside the subgraph supplies only the identity.
    resolvers: definition.resolvers as GraphQLResolverMap<RequestIdentity>,
    ensureIndexes: definition.ensureIndexes,
    start: (options) => startSubgraph(definition, options),
  };
}
