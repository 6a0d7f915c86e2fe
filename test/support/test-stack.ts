import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { connectMongo, databaseName } from '../../platform/mongo.js';
import type { Principal } from '../../shield/roles.js';
import { DEV_ID_TOKEN_SECRET, DEV_JWT_SECRET } from '../../platform/secrets.js';
import { audienceOf } from '../../shield/audience.js';
import { createIdCodec } from '../../gateway/ids/opaque-ids.js';
import { mintDevToken } from '../../gateway/auth/mint-dev-token.js';
import { startStack, type RunningStack } from '../../stack/start-stack.js';
import type { SubgraphName } from '../../subgraphs/shared/config.js';
import type { SeedSize } from '../../seed/generate.js';
import { perSubgraph, STACK_DATABASES } from '../../subgraphs/registry.js';

/**
 * A real stack for one test file: its own databases on the shared MongoDB-protocol
 * server, three subgraphs and the gateway on free loopback ports, talking real HTTP.
 */

export const TEST_ISSUER = 'needtoknow-dev';
export const TEST_AUDIENCE = 'needtoknow';
/** The moment the seeded data is generated around, so "in progress" and "active" are stable. */
export const SEED_NOW = new Date();

export interface GraphQLResponseBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestStack {
  readonly stack: RunningStack;
  readonly gatewayUrl: string;
  readonly mongo: MongoClient;
  readonly prefix: string;
  db(subgraph: SubgraphName | 'audit'): Db;
  /** Database commands sent by the subgraphs since the last reset, per database. */
  readonly commands: CommandStartedEvent[];
  /** HTTP requests each subgraph received since the last reset. */
  readonly subgraphRequests: Record<SubgraphName, number>;
  /** The operations the gateway sent to each subgraph since the last reset. */
  readonly subgraphOperations: { subgraph: SubgraphName; query: string }[];
  resetCounters(): void;
  token(principal: Principal): Promise<string>;
  /** The opaque id the gateway shows `principal` for a raw id of a type. */
  idFor: (principal: Principal, typeName: string, rawId: string) => string;
  /** The raw id behind an opaque id `principal` was shown, or null. */
  rawIdOf(principal: Principal, typeName: string, token: string): string | null;
  query(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GraphQLResponseBody }>;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Seed the demo data set (default true). */
  readonly seed?: boolean;
  /** Seed this size instead of the demo one (the benchmark's 100,000 clients). */
  readonly seedSize?: SeedSize;
  /** The moment to generate the data around, instead of SEED_NOW (a fixed data set, the same every day). */
  readonly seedNow?: Date;
  /** Collections the seed leaves unwritten (see seed/write.ts). */
  readonly seedSkip?: readonly string[];
  /** Environment for every piece, on top of NODE_ENV=test. */
  readonly env?: Record<string, string>;
  /** false runs the gateway without redaction: only for controls that prove a test can fail. */
  readonly redaction?: boolean;
  /** Writes the audit trail through this connection string instead (with short timeouts), e.g. through a proxy a test can cut. */
  readonly auditMongoUri?: string;
  /** Reuse the databases of another test stack (a second gateway replica over the same data). */
  readonly prefix?: string;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const prefix = options.prefix ?? `t${randomBytes(4).toString('hex')}_`;
  const mongo = await connectMongo(inject('mongodbUri'), 'needtoknow-test', { monitorCommands: true });
  const auditMongo = options.auditMongoUri
    ? await connectMongo(options.auditMongoUri, 'needtoknow-test-audit', { serverSelectionTimeoutMS: 1_500, socketTimeoutMS: 3_000 })
    : undefined;
  const commands: CommandStartedEvent[] = [];
  const subgraphRequests: Record<SubgraphName, number> = perSubgraph(() => 0);
  const subgraphOperations: { subgraph: SubgraphName; query: string }[] = [];
  const db = (name: SubgraphName | 'audit') => mongo.db(databaseName(prefix, name));
  if (options.seed !== false && options.prefix === undefined) {
    const { seedDatabases } = await import('../../seed/write.js');
    await seedDatabases(perSubgraph(db), {
      size: options.seedSize ?? 'demo',
      now: options.seedNow ?? SEED_NOW,
      ...(options.seedSkip ? { skip: options.seedSkip } : {}),
    });
  }
  const stack = await startStack({
    mongo,
    env: { NODE_ENV: 'test', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...options.env, MONGODB_DB_PREFIX: prefix },
    ephemeralPorts: true,
    ...(auditMongo ? { auditDb: auditMongo.db(databaseName(prefix, 'audit')) } : {}),
    gateway: {
      redaction: options.redaction ?? true,
      observeSubgraphRequest: (subgraph, query) => subgraphOperations.push({ subgraph, query }),
    },
  });
  mongo.on('commandStarted', (event) => {
    if (event.databaseName.startsWith(prefix)) commands.push(event);
  });
  for (const [name, running] of Object.entries(stack.subgraphs) as [SubgraphName, RunningStack['subgraphs'][SubgraphName]][]) {
    running.server.on('request', () => {
      subgraphRequests[name] += 1;
    });
  }
  const codec = createIdCodec(options.env?.ID_TOKEN_SECRET ?? DEV_ID_TOKEN_SECRET);
  return {
    stack,
    gatewayUrl: stack.gateway.url,
    idFor: (principal, typeName, rawId) => codec.encode(audienceOf(principal), typeName, rawId),
    rawIdOf: (principal, typeName, token) => codec.decode(audienceOf(principal), typeName, token),
    mongo,
    prefix,
    db,
    commands,
    subgraphRequests,
    subgraphOperations,
    resetCounters() {
      commands.length = 0;
      subgraphOperations.length = 0;
      for (const name of Object.keys(subgraphRequests) as SubgraphName[]) subgraphRequests[name] = 0;
    },
    token: (principal) =>
      mintDevToken({
        principal,
        secret: options.env?.JWT_SECRET ?? DEV_JWT_SECRET,
        issuer: options.env?.JWT_ISSUER ?? TEST_ISSUER,
        audience: options.env?.JWT_AUDIENCE ?? TEST_AUDIENCE,
      }),
    async query(token, query, variables) {
      const response = await fetch(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponseBody };
    },
    async close() {
      await stack.close();
      await auditMongo?.close();
      // A second replica over another stack's databases leaves them to that stack.
      if (options.prefix === undefined) {
        for (const name of STACK_DATABASES) await mongo.db(databaseName(prefix, name)).dropDatabase();
      }
      await mongo.close();
    },
  };
}
