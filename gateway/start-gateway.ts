import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloGateway } from '@apollo/gateway';
import type { GraphQLFormattedError } from 'graphql';
import { claimsKey } from '../platform/gateway-claims.js';
import { accessLogPlugin, createGraphQLRequestListener, drainableHttpServer, listen, type RunningHttpServer } from '../platform/graphql-http-server.js';
import { HttpError } from '../platform/http-body.js';
import { normalizeError } from '../platform/errors/normalize-error.js';
import type { Logger } from '../platform/logger.js';
import { isSubgraphName, type SubgraphName } from '../subgraphs/registry.js';
import { AuthenticationError, createAccessTokenVerifier, KeySetUnavailableError } from './auth/verify-access-token.js';
import { registerKeySetMetrics } from './auth/key-set-metrics.js';
import type { GatewayConfig } from './config.js';
import type { GatewayContext } from './context.js';
import { SignedSubgraphSource } from './signed-subgraph-source.js';
import { readCommittedSupergraph } from './supergraph/compose.js';
import { RedactingGateway } from './redaction/redacting-gateway.js';
import { createSubjectFactsSource } from './redaction/subject-facts.js';
import { guardRoutes } from './route-policy.js';
import type { AuditLog } from './audit/audit-log.js';
import { IdempotencyKeys } from './audit/idempotency-keys.js';
import { startAuditUpkeep } from './audit/audit-upkeep.js';
import { operationLimitsRule } from './limits/operation-limits.js';
import { reportCsvRoutes } from './reports/report-csv.js';
import { supergraphReports } from './reports/report-descriptors.js';
import { auditRoutes, ensureAuditIndexes } from './audit/audit-routes.js';
import { subjectAccessRoutes } from './subject-access/subject-access-export.js';
import type { Db } from 'mongodb';
import { createIdCodec } from './ids/opaque-ids.js';
import { startOversight } from './alerts/oversight.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { MeteredAuditLog } from './metrics/metered-audit-log.js';
import { metricsPlugin } from './metrics/metrics-plugin.js';
import { gatewayReadiness } from './readiness.js';
import { readManifest } from './trusted-documents/manifest.js';
import { trustedDocumentsPlugin } from './trusted-documents/trusted-documents-plugin.js';
import { clientAddress, createRequestRateLimiter } from './limits/request-rate-limit.js';

/**
 * Outside development, every error leaves as the one normaliser has it (platform/errors): a
 * client-safe code keeps its message, anything else is INTERNAL_SERVER_ERROR with a fixed
 * message; no stack traces, no internals. Where and when is kept (locations, path), and when to
 * retry where the error said so (a rate limit, gateway/alerts/emergency-lookup-oversight.ts).
 */
export function formatGatewayError(development: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (development) return formatted;
    const { locations, path, extensions } = formatted;
    const { code, message, retryAfterSeconds } = normalizeError(formatted);
    const saidWhen = extensions?.retryAfterSeconds !== undefined && retryAfterSeconds !== undefined;
    return {
      message,
      ...(locations ? { locations } : {}),
      ...(path ? { path } : {}),
      extensions: { code, ...(saidWhen ? { retryAfterSeconds } : {}) },
    };
  };
}

export async function startGateway(options: {
  config: GatewayConfig;
  logger: Logger;
  supergraphSdl?: string;
  /** The audit database (`<prefix>audit`): every read of personal data is written here before it is returned. */
  auditDb: Db;
  /**
   * Only the benchmark turns this off, to measure what redaction costs; it is not
   * configurable from the environment, so no deployment can run without it.
   */
  redaction?: boolean;
  /** Sees every operation sent to a subgraph (tests use it to prove what was never asked for). */
  observeSubgraphRequest?: (subgraph: SubgraphName, query: string) => void;
  /** The subgraphs' databases, for the audit reconciliation (else it connects to MONGODB_URI itself). */
  storeDb?: (name: 'clients' | 'consent') => Db;
}): Promise<RunningHttpServer> {
  const { config, logger } = options;
  const development = config.nodeEnv === 'development';
  const key = claimsKey(config.subgraphSigningSecret);
  // @apollo/gateway otherwise sends usage metrics to Apollo and probes cloud metadata endpoints:
  // nothing about this charity's traffic leaves its own network.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const supergraphSdl = options.supergraphSdl ?? readCommittedSupergraph();
  const metrics = new GatewayMetrics({ token: config.metricsToken });
  const http = drainableHttpServer<GatewayContext>(config.shutdownGraceMs);
  let stopping = false;
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      if (!isSubgraphName(name)) throw new Error(`the supergraph names an unknown subgraph "${name}"`);
      return new SignedSubgraphSource({
        subgraph: name,
        url: config.subgraphUrls[name],
        key,
        timeoutMs: config.subgraphTimeoutMs,
        logger,
        metrics,
        observe: options.observeSubgraphRequest,
      });
    },
  });
  const codec = createIdCodec(config.idTokenSecret);
  // Timed for /metrics, and drained before the gateway exits (gateway/metrics/metered-audit-log.ts).
  const audit: AuditLog & { drain(): Promise<void> } = new MeteredAuditLog(options.auditDb, metrics, { deadlineMs: config.requestDeadlineMs });
  await ensureAuditIndexes(options.auditDb);
  // Idempotency keys, reconciliation of changes without outcome, signed head checkpoints (README, Audit).
  const idempotency = new IdempotencyKeys(options.auditDb, { ttlHours: config.audit.idempotencyKeyTtlHours });
  await idempotency.ensureIndexes();
  const upkeep = await startAuditUpkeep({
    settings: config.audit,
    databasePrefix: config.databasePrefix,
    auditDb: options.auditDb,
    audit,
    keys: idempotency,
    codec,
    logger,
    ...(options.storeDb ? { storeDb: options.storeDb } : {}),
  });
  const oversight = await startOversight({ auditDb: options.auditDb, audit, codec, config });
  // Read and checked at start-up: a missing or tampered manifest stops the gateway, not a request.
  const trusted = config.trustedDocuments;
  const manifest = readManifest(trusted.manifestPath);
  logger.info({ mode: trusted.mode, clients: trusted.clients.length, operations: manifest.size }, 'trusted documents');
  if (trusted.mode === 'first-party' && trusted.clients.length === 0 && !development) {
    logger.warn('TRUSTED_DOCUMENTS_CLIENTS is empty: no caller is held to the trusted-documents manifest');
  }
  const apollo = new ApolloServer<GatewayContext>({
    gateway:
      options.redaction === false
        ? gateway
        : new RedactingGateway(
            gateway,
            codec,
            audit,
            createSubjectFactsSource({ supergraphSdl, subgraphUrls: config.subgraphUrls, key, timeoutMs: config.subgraphTimeoutMs }),
            oversight.emergencyLookups,
            oversight.changes,
            idempotency,
          ),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: development,
    hideSchemaDetailsFromClientErrors: !development,
    formatError: formatGatewayError(development),
    validationRules: [operationLimitsRule(config.limits)],
    // Trusted documents first: it puts a hash-only request's text in place before Apollo reads it.
    plugins: [
      trustedDocumentsPlugin(trusted, manifest),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      http.drainPlugin,
      accessLogPlugin(),
      metricsPlugin(metrics),
    ],
    // Shutdown is ours (stack/shutdown.ts): Apollo's own handler would re-raise the signal and
    // kill the process before the audit trail is drained.
    stopOnTerminationSignals: false,
    // One operation per request: a batch would multiply every limit above.
    allowBatchedHttpRequests: false,
    // Automatic persisted queries: one cache for every role would let one role confirm the exact
    // text of a query another role sent (a hash-only request succeeds only if someone sent it).
    // Off: a hash names an operation of the fixed, public trusted-documents manifest only
    // (gateway/trusted-documents/), never one registered at run time.
    persistedQueries: false,
  });
  await apollo.start();
  // A static supergraph: loaded once apollo has started, or start-up failed.
  const supergraphLoaded = true;
  const verifyAccessToken = createAccessTokenVerifier(
    {
      keys: config.tokenKeys,
      issuer: config.tokenIssuer,
      audience: config.tokenAudience,
      maxLifetimeSeconds: config.tokenMaxLifetimeSeconds,
    },
    { logger },
  );
  if (verifyAccessToken.keySet) registerKeySetMetrics(metrics.registry, verifyAccessToken.keySet);
  // Before anything runs for the request (health and /metrics never reach authenticate, so never count).
  const rateLimiter = await createRequestRateLimiter(config.rateLimit, {
    logger,
    registry: metrics.registry,
    onRefused: (limit) => metrics.rateLimitRefusals.inc({ limit }),
  });
  const listener = createGraphQLRequestListener<GatewayContext>({
    apollo,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    ready: gatewayReadiness({
      auditDb: options.auditDb,
      subgraphUrls: config.subgraphUrls,
      timeoutMs: config.healthCheckTimeoutMs,
      supergraphLoaded: () => supergraphLoaded,
      stopping: () => stopping,
    }),
    corsAllowedOrigins: config.corsAllowedOrigins,
    ...(config.metricsToken !== undefined ? { metrics: metrics.http() } : {}),
    routes: guardRoutes(
      {
        ...auditRoutes(options.auditDb, audit, codec),
        ...reportCsvRoutes(apollo, supergraphReports(supergraphSdl)),
        ...subjectAccessRoutes(apollo, options.auditDb, audit, codec, oversight.alerts),
        ...oversight.routes,
      },
      audit,
      codec,
    ),
    postRoutes: guardRoutes(oversight.postRoutes, audit, codec),
    authenticate: async (req, requestId) => {
      let principal: GatewayContext['principal'];
      try {
        principal = await verifyAccessToken(req.headers.authorization);
      } catch (error) {
        if (error instanceof AuthenticationError) {
          // Failed sign-ins count against the caller's address: a token guesser gets 429, not endless 401s.
          await rateLimiter.enforce('unauthenticated-ip', clientAddress(req, config.rateLimit.trustedProxyHops));
          throw new HttpError(401, 'UNAUTHENTICATED', error.message);
        }
        // Our side of the trust chain failed (the key set's log line says why): not the caller's token.
        if (error instanceof KeySetUnavailableError) {
          throw new HttpError(503, 'SERVICE_UNAVAILABLE', error.message, { 'retry-after': String(error.retryAfterSeconds) });
        }
        throw error;
      }
      await rateLimiter.enforce('principal', `${principal.role}:${principal.sub}`);
      return { principal, requestId };
    },
  });
  const running = await listen(listener, config.port, config.host, http.server);
  logger.info({ url: running.url }, 'gateway listening');
  return {
    ...running,
    // Not ready at once (the load balancer moves away); stop accepting and let requests in
    // flight finish, at most SHUTDOWN_GRACE_MS (Apollo's drain plugin); then the audit queue.
    close: async () => {
      stopping = true;
      await apollo.stop();
      await running.close();
      await audit.drain();
      await upkeep.stop();
      await rateLimiter.close();
    },
  };
}
