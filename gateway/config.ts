import { EnvReader, readNodeEnv, type Env, type NodeEnv } from '../platform/env.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET, DEV_SUBGRAPH_SIGNING_SECRET, readSecret } from '../platform/secrets.js';
import { SUBGRAPH_DEFAULT_PORTS, type SubgraphName } from '../subgraphs/shared/config.js';
import type { OperationLimits } from './limits/operation-limits.js';

export const GATEWAY_DEFAULT_PORT = 4000;
export const DEFAULT_TOKEN_MAX_LIFETIME_SECONDS = 12 * 60 * 60;

export type TokenKeySource = { readonly kind: 'secret'; readonly secret: string } | { readonly kind: 'jwks'; readonly url: string };

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
  /** Emergency lookups each duty officer may make in any window of `windowMinutes` (DESIGN.md invariant 12). */
  readonly emergencyLookups: { readonly limit: number; readonly windowMinutes: number };
}

export function subgraphUrlVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_URL`;
}

function readTokenKeys(reader: EnvReader, nodeEnv: NodeEnv): TokenKeySource {
  const jwksUrl = reader.url('JWT_JWKS_URL', undefined);
  if (jwksUrl !== undefined) {
    if (reader.optionalString('JWT_SECRET') !== undefined) reader.problem('set JWT_JWKS_URL or JWT_SECRET, not both');
    if (nodeEnv === 'production' && !jwksUrl.startsWith('https://')) reader.problem('JWT_JWKS_URL must use https in production');
    return { kind: 'jwks', url: jwksUrl };
  }
  if (nodeEnv === 'production' && reader.optionalString('JWT_SECRET') === undefined) {
    reader.problem('production needs JWT_JWKS_URL (recommended) or JWT_SECRET to verify access tokens');
    return { kind: 'secret', secret: DEV_JWT_SECRET };
  }
  return { kind: 'secret', secret: readSecret(reader, 'JWT_SECRET', DEV_JWT_SECRET, nodeEnv) };
}

export function readGatewayConfig(env: Env): { config: GatewayConfig; variables: readonly string[] } {
  const reader = new EnvReader(env);
  const nodeEnv = readNodeEnv(reader);
  const subgraphUrls = {} as Record<SubgraphName, string>;
  for (const name of Object.keys(SUBGRAPH_DEFAULT_PORTS) as SubgraphName[]) {
    const fallback = `http://127.0.0.1:${SUBGRAPH_DEFAULT_PORTS[name]}/graphql`;
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
  };
  if (nodeEnv === 'production' && config.tokenIssuer === 'needtoknow-dev') {
    reader.problem('JWT_ISSUER must be set in production (the issuer of your identity provider)');
  }
  reader.finish('gateway');
  return { config, variables: reader.names };
}
