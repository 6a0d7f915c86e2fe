import { EnvReader, readNodeEnv, type Env, type NodeEnv } from '../../platform/env.js';
import { DEV_SUBGRAPH_SIGNING_SECRET, readSecret } from '../../platform/secrets.js';
import { perSubgraph, SUBGRAPH_REGISTRY, type SubgraphName } from '../registry.js';

export type { SubgraphName } from '../registry.js';

export const SUBGRAPH_DEFAULT_PORTS: Readonly<Record<SubgraphName, number>> = perSubgraph((name) => SUBGRAPH_REGISTRY[name].port);

export interface SubgraphConfig {
  readonly name: SubgraphName;
  readonly nodeEnv: NodeEnv;
  readonly host: string;
  readonly port: number;
  readonly mongodbUri: string | undefined;
  readonly databasePrefix: string;
  readonly signingSecret: string;
  readonly logLevel: string;
  readonly maxBodyBytes: number;
  /** How long a stopping subgraph lets requests in flight finish before cutting them. */
  readonly shutdownGraceMs: number;
  /** consent subgraph: the longest an exceptional disclosure may stay open. */
  readonly exceptionalDisclosureMaxHours: number;
  /** consent subgraph: how long an exceptional disclosure stays open when its opener does not say (at most the maximum). */
  readonly exceptionalDisclosureDefaultHours: number;
  /** Reports: counts below the threshold are suppressed; shown counts rounded to the base (null: exact, REPORT_ROUNDING_BASE=none). */
  readonly reports: { readonly threshold: number; readonly roundingBase: number | null };
  /** FerretDB's PostgreSQL database, when that is the server: the stores index it at start-up (ferretdb-postgres-indexes.ts). */
  readonly ferretdbPostgresqlUrl: string | undefined;
  /** How a batch of look-ups is queried (loaders.ts). */
  readonly lookups: LookupShape;
}

/**
 * `in`: one `{ f: { $in: keys } }` per batch, one round trip (MongoDB answers it from an index;
 * FerretDB reads the whole collection). `per-key`: one `{ f: key }` per key, sent together, which
 * FerretDB on PostgreSQL answers from the GIN indexes (and MongoDB from its, one round trip each).
 */
const LOOKUP_SHAPES = ['in', 'per-key'] as const;
export type LookupShape = (typeof LOOKUP_SHAPES)[number];

/** A whole number from 2 to 100, default 5; `none` for exact counts. */
function readRoundingBase(reader: EnvReader): number | null {
  const value = reader.optionalString('REPORT_ROUNDING_BASE');
  if (value === 'none') return null;
  if (value !== undefined && !/^\d+$/.test(value)) {
    reader.problem(`REPORT_ROUNDING_BASE must be a whole number from 2 to 100, or none, got "${value}"`);
    return 5;
  }
  return reader.int('REPORT_ROUNDING_BASE', 5, { min: 2, max: 100 });
}

export function portVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_PORT`;
}

export function readSubgraphConfig(name: SubgraphName, env: Env): { config: SubgraphConfig; variables: readonly string[] } {
  const reader = new EnvReader(env);
  const nodeEnv = readNodeEnv(reader);
  const ferretdbPostgresqlUrl = reader.url('FERRETDB_POSTGRESQL_URL', undefined);
  const config: SubgraphConfig = {
    name,
    nodeEnv,
    host: reader.string('HOST', '127.0.0.1'),
    port: reader.int(portVariable(name), SUBGRAPH_DEFAULT_PORTS[name], { min: 0, max: 65535 }),
    mongodbUri: reader.url('MONGODB_URI', undefined),
    databasePrefix: reader.string('MONGODB_DB_PREFIX', 'needtoknow_'),
    signingSecret: readSecret(reader, 'SUBGRAPH_SIGNING_SECRET', DEV_SUBGRAPH_SIGNING_SECRET, nodeEnv),
    logLevel: reader.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], nodeEnv === 'test' ? 'silent' : 'info'),
    maxBodyBytes: reader.int('MAX_BODY_BYTES', 1_000_000, { min: 1_024, max: 50_000_000 }),
    shutdownGraceMs: reader.int('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 120_000 }),
    exceptionalDisclosureMaxHours: name === 'consent' ? reader.int('EXCEPTIONAL_DISCLOSURE_MAX_HOURS', 168, { min: 1, max: 24 * 31 }) : 0,
    exceptionalDisclosureDefaultHours: name === 'consent' ? reader.int('EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS', 24, { min: 1, max: 24 * 31 }) : 0,
    reports: {
      // Never below 3: a count of 1 or 2 singles people out (docs/INVARIANTS.md#8).
      threshold: reader.int('REPORT_THRESHOLD', 5, { min: 3, max: 100 }),
      // Rounding is what keeps reports linked by equations (a quarter and its months, a caseload
      // and its referrals and closures) from giving suppressed counts back: on unless switched off.
      roundingBase: readRoundingBase(reader),
    },
    ferretdbPostgresqlUrl,
    // Per key where that is the shape the server answers from an index, unless told otherwise.
    lookups: reader.oneOf('STORE_LOOKUPS', LOOKUP_SHAPES, ferretdbPostgresqlUrl ? 'per-key' : 'in'),
  };
  if (config.exceptionalDisclosureDefaultHours > config.exceptionalDisclosureMaxHours) {
    reader.problem('EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS must not exceed EXCEPTIONAL_DISCLOSURE_MAX_HOURS');
  }
  if (!/^[A-Za-z0-9_-]{0,40}$/.test(config.databasePrefix)) {
    reader.problem('MONGODB_DB_PREFIX may contain only letters, digits, _ and - (at most 40)');
  }
  reader.finish(`${name} subgraph`);
  return { config, variables: reader.names };
}
