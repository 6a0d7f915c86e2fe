import { EnvReader, readNodeEnv, type Env, type NodeEnv } from '../platform/env.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET, DEV_SUBGRAPH_SIGNING_SECRET, readSecret } from '../platform/secrets.js';
import { portVariable, SUBGRAPH_DEFAULT_PORTS, type SubgraphName } from '../subgraphs/shared/config.js';
import type { OperationLimits } from './limits/operation-limits.js';
import type { KeySetSettings } from './auth/key-set.js';
import { readKeySetSettings } from './auth/key-set-config.js';
import { readAuditSettings, type AuditSettings } from './audit/audit-config.js';
import { readTrustedDocumentsConfig, type TrustedDocumentsConfig } from './trusted-documents/trusted-documents-config.js';
import type { RateLimitSettings } from './limits/request-rate-limit.js';

export const GATEWAY_DEFAULT_PORT = 4000;
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 12 * 60 * 60;

export type TokenKeySource = { readonly kind: 'secret'; readonly secret: string } | ({ readonly kind: 'jwks' } & KeySetSettings);

export interface GatewayConfig {
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly tokenKeys: TokenKeySource;
  readonly tokenIssuer: string;
  readonly tokenAudience: string;
  /** The longest access-token lifetime (`exp − iat`) accepted, in seconds. */
  readonly tokenMaxLifetimeSeconds: number;
  readonly subgraphSigningSecret: string;
  /** Keys the opaque per-audience IDs; changing it invalidates every ID clients hold. */
  readonly idTokenSecret: string;
  readonly subgraphUrls: Readonly<Record<SubgraphName, string>>;
  readonly introspection: boolean;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  /** Where the audit trail is written: AUDIT_MONGODB_URI, else MONGODB_URI. */
  readonly auditMongodbUri: string | undefined;
  /** The audit database is `<prefix>audit`, beside the subgraphs' databases. */
  readonly databasePrefix: string;
  readonly limits: OperationLimits;
  /** Emergency lookups each duty officer may make in any window of `windowMinutes` (docs/INVARIANTS.md#12). */
  readonly emergencyLookups: { readonly limit: number; readonly windowMinutes: number };
  /** The longest a GraphQL request may take, audit writes included, before it fails with 503 DEADLINE_EXCEEDED. */
  readonly requestDeadlineMs: number;
  /** Operating it (README, Operating it): subgraph fetch timeout, shutdown grace, health-check timeout. */
  readonly subgraphTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly healthCheckTimeoutMs: number;
  /** Browser origins allowed to call the gateway (CORS); none by default. */
  readonly corsAllowedOrigins: readonly string[];
  /** The bearer secret `/metrics` asks for; undefined: no `/metrics` at all. */
  readonly metricsToken: string | undefined;
  /** Idempotency keys, reconciliation, signed head checkpoints (gateway/audit/audit-config.ts). */
  readonly audit: AuditSettings;
  /** Which callers may run only the trusted-documents manifest's operations (gateway/trusted-documents/). */
  readonly trustedDocuments: TrustedDocumentsConfig;
  /** Requests per principal and per unauthenticated address (gateway/limits/request-rate-limit.ts). */
  readonly rateLimit: RateLimitSettings;
}

export function subgraphUrlVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_URL`;
}

function readTokenKeys(reader: EnvReader, nodeEnv: NodeEnv): TokenKeySource {
  const jwksUrl = reader.url('JWT_JWKS_URL', undefined);
  const keySet = readKeySetSettings(reader, jwksUrl);
  if (keySet !== undefined) {
    if (reader.optionalString('JWT_SECRET') !== undefined) reader.problem('set JWT_JWKS_URL or JWT_SECRET, not both');
    if (nodeEnv === 'production' && !keySet.url.startsWith('https://')) reader.problem('JWT_JWKS_URL must use https in production');
    return { kind: 'jwks', ...keySet };
  }
  if (nodeEnv === 'production' && reader.optionalString('JWT_SECRET') === undefined) {
    reader.problem('production needs JWT_JWKS_URL (recommended) or JWT_SECRET to verify access tokens');
    return { kind: 'secret', secret: DEV_JWT_SECRET };
  }
  return { kind: 'secret', secret: readSecret(reader, 'JWT_SECRET', DEV_JWT_SECRET, nodeEnv) };
}

/** Exact origins (`https://app.example.org`), comma-separated; a wildcard would hand every site the API. */
function readCorsOrigins(reader: EnvReader): string[] {
  const value = reader.optionalString('CORS_ALLOWED_ORIGINS');
  if (value === undefined) return [];
  const origins: string[] = [];
  for (const item of value
    .split(',')
    .map((each) => each.trim())
    .filter((each) => each !== '')) {
    let origin: string | undefined;
    try {
      const url = new URL(item);
      if ((url.protocol === 'https:' || url.protocol === 'http:') && url.origin === item.replace(/\/$/, '')) origin = url.origin;
    } catch {
      origin = undefined;
    }
    if (origin === undefined) reader.problem(`CORS_ALLOWED_ORIGINS: "${item}" is not an origin (scheme://host[:port], no path, no wildcard)`);
    else origins.push(origin);
  }
  return origins;
}

/** Prometheus scrapes with this bearer secret; without one, there is no /metrics. */
function readMetricsToken(reader: EnvReader): string | undefined {
  const value = reader.optionalString('METRICS_TOKEN');
  if (value !== undefined && value.length < 32) reader.problem('METRICS_TOKEN must be at least 32 characters');
  return value;
}

/**
 * 300 a minute per principal: the console's busiest page makes a handful of requests, so a
 * person clicking fast stays far below it, while a script walking the records slows to 5 a
 * second. 30 failed authentications a minute per address: a client whose token expired gets
 * its 401s and signs in again; a token guesser gets 429. The test suite drives hundreds of
 * requests a minute through one token, so under NODE_ENV=test the defaults are out of reach
 * (a test of the limit sets its own).
 */
function readRateLimit(reader: EnvReader, nodeEnv: NodeEnv): RateLimitSettings {
  const unreachable = nodeEnv === 'test';
  return {
    requests: reader.int('RATE_LIMIT_REQUESTS', unreachable ? 1_000_000 : 300, { min: 1, max: 1_000_000 }),
    unauthenticatedRequests: reader.int('RATE_LIMIT_UNAUTHENTICATED_REQUESTS', unreachable ? 1_000_000 : 30, { min: 1, max: 1_000_000 }),
    windowSeconds: reader.int('RATE_LIMIT_WINDOW_SECONDS', 60, { min: 1, max: 3_600 }),
    redisUrl: readRedisUrl(reader),
    trustedProxyHops: reader.int('TRUSTED_PROXY_HOPS', 0, { min: 0, max: 5 }),
  };
}

function readRedisUrl(reader: EnvReader): string | undefined {
  const value = reader.url('REDIS_URL', undefined);
  if (value !== undefined && !/^rediss?:\/\//.test(value)) reader.problem('REDIS_URL must start with redis:// or rediss://');
  return value;
}

export function readGatewayConfig(env: Env): { config: GatewayConfig; variables: readonly string[] } {
  const reader = new EnvReader(env);
  const nodeEnv = readNodeEnv(reader);
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of Object.keys(SUBGRAPH_DEFAULT_PORTS) as SubgraphName[]) {
    // The default follows the subgraph's own port variable, so one environment starts both ends.
    const port = reader.int(portVariable(name), SUBGRAPH_DEFAULT_PORTS[name], { min: 0, max: 65535 });
    const fallback = `http://127.0.0.1:${port}/graphql`;
    subgraphUrls[name] = reader.url(subgraphUrlVariable(name), fallback) ?? fallback;
  }
  const config: GatewayConfig = {
    nodeEnv,
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.int('GATEWAY_PORT', GATEWAY_DEFAULT_PORT, { min: 0, max: 65535 }),
    tokenKeys: readTokenKeys(reader, nodeEnv),
    tokenIssuer: reader.string('JWT_ISSUER', 'needtoknow-dev'),
    tokenAudience: reader.string('JWT_AUDIENCE', 'needtoknow'),
    // 12 h: the longest shift the charity works (a long day or a waking night), so a token never
    // outlives the shift it was issued for; identity providers' usual 1 h tokens are well inside it.
    // Never more than a day: a longer-lived access token is a refresh token without revocation.
    tokenMaxLifetimeSeconds: reader.int('JWT_MAX_LIFETIME_SECONDS', DEFAULT_TOKEN_MAX_LIFETIME_SECONDS, { min: 60, max: 86_400 }),
    subgraphSigningSecret: readSecret(reader, 'SUBGRAPH_SIGNING_SECRET', DEV_SUBGRAPH_SIGNING_SECRET, nodeEnv),
    idTokenSecret: readSecret(reader, 'ID_TOKEN_SECRET', DEV_ID_TOKEN_SECRET, nodeEnv),
    subgraphUrls,
    introspection: reader.boolean('INTROSPECTION', nodeEnv !== 'production'),
    logLevel: reader.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], nodeEnv === 'test' ? 'silent' : 'info'),
    maxBodyBytes: reader.int('MAX_BODY_BYTES', 100_000, { min: 1_024, max: 10_000_000 }),
    auditMongodbUri: reader.url('AUDIT_MONGODB_URI', undefined) ?? reader.url('MONGODB_URI', undefined),
    databasePrefix: reader.string('MONGODB_DB_PREFIX', 'needtoknow_'),
    limits: {
      maxDepth: reader.int('MAX_QUERY_DEPTH', 12, { min: 2, max: 100 }),
      maxFields: reader.int('MAX_QUERY_FIELDS', 1_000, { min: 10, max: 100_000 }),
      maxAliases: reader.int('MAX_QUERY_ALIASES', 50, { min: 0, max: 10_000 }),
    },
    // 10 an hour: a duty officer takes a few emergency calls in a busy hour, so this leaves room
    // for a bad night, while walking a staff list through the lookup (the oracle it would be)
    // slows to 10 names an hour, each restricted hit alerting the DPO. A major incident can
    // raise it; it cannot be switched off.
    emergencyLookups: {
      limit: reader.int('EMERGENCY_LOOKUP_LIMIT', 10, { min: 1, max: 1_000 }),
      windowMinutes: reader.int('EMERGENCY_LOOKUP_WINDOW_MINUTES', 60, { min: 1, max: 1_440 }),
    },
    // 5 s: a person waiting at a screen gives up after a few seconds; past that, a clean 503
    // they can retry beats an answer that may never come (the audit store's outage, a stuck subgraph).
    requestDeadlineMs: reader.int('REQUEST_DEADLINE_MS', 5_000, { min: 500, max: 600_000 }),
    subgraphTimeoutMs: reader.int('SUBGRAPH_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
    shutdownGraceMs: reader.int('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 120_000 }),
    healthCheckTimeoutMs: reader.int('HEALTH_CHECK_TIMEOUT_MS', 2_000, { min: 100, max: 30_000 }),
    corsAllowedOrigins: readCorsOrigins(reader),
    metricsToken: readMetricsToken(reader),
    audit: readAuditSettings(reader),
    trustedDocuments: readTrustedDocumentsConfig(reader, nodeEnv),
    rateLimit: readRateLimit(reader, nodeEnv),
  };
  if (config.audit.reconcileGraceMs <= config.requestDeadlineMs)
    reader.problem('AUDIT_RECONCILE_GRACE_MS must be longer than REQUEST_DEADLINE_MS (a younger change may still be in flight)');
  if (nodeEnv === 'production' && config.tokenIssuer === 'needtoknow-dev') {
    reader.problem('JWT_ISSUER must be set in production (the issuer of your identity provider)');
  }
  reader.finish('gateway');
  return { config, variables: reader.names };
}
