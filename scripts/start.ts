import type { MongoClient } from 'mongodb';
import { readGatewayConfig } from '../gateway/config.js';
import { ConfigError } from '../platform/env.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';
import { PERSONAS } from '../seed/personas.js';
import { seedDatabases } from '../seed/write.js';
import { EmbeddedMongoUnavailableError, noDatabaseHelp, startEmbeddedMongo, type EmbeddedMongo } from '../stack/embedded-mongo.js';
import { startLocalFerretDb } from '../stack/ferretdb-fallback.js';
import { forcedExitAfter, onShutdown } from '../stack/shutdown.js';
import { readConsoleConfig } from '../stack/console/console-config.js';
import { startConsoleServer, type RunningConsole } from '../stack/console-server.js';
import { createLogger } from '../platform/logger.js';
import { startTracing, type Tracing } from '../platform/tracing.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';
import { perSubgraph, SUBGRAPH_NAMES } from '../subgraphs/registry.js';

/**
 * `npm start`: the whole stack on one machine for development and demos. Uses MONGODB_URI
 * when set, else an embedded mongod, else FerretDB built and started here (as CI does); seeds the demo data into empty databases; starts the
 * three subgraphs and the gateway; Ctrl-C stops everything.
 */

const prefix = process.env.MONGODB_DB_PREFIX ?? 'needtoknow_';
let embedded: Pick<EmbeddedMongo, 'stop'> | undefined;
let mongo: MongoClient | undefined;
let stack: RunningStack | undefined;
let consoleServer: RunningConsole | undefined;
let tracing: Tracing | undefined;

/** The gateway drains first (requests in flight finish, the audit queue empties), then the subgraphs, then the database. */
async function stopAll(): Promise<void> {
  await consoleServer?.close().catch(() => undefined);
  await stack?.close().catch(() => undefined);
  await mongo?.close().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  await tracing?.shutdown().catch(() => undefined);
}

async function stop(code: number): Promise<never> {
  await stopAll();
  process.exit(code);
}

/** The embedded mongod, else FerretDB (built with Go if need be), else the real causes and what to do. */
async function startLocalDatabase(): Promise<{ uri: string; stop(): Promise<void> }> {
  console.log('MONGODB_URI is not set: starting the embedded MongoDB (mongodb-memory-server)…');
  try {
    return await startEmbeddedMongo();
  } catch (error) {
    if (!(error instanceof EmbeddedMongoUnavailableError)) throw error;
    console.log(`The embedded MongoDB could not start (${error.reason}); starting FerretDB instead (built with Go the first time, a few minutes)…`);
    try {
      return await startLocalFerretDb();
    } catch (ferretError) {
      throw new Error(
        noDatabaseHelp([`embedded MongoDB: ${error.reason}`, `FerretDB: ${ferretError instanceof Error ? ferretError.message : String(ferretError)}`]),
      );
    }
  }
}

try {
  // Validate everything before starting anything, so a bad variable fails fast and clearly.
  readGatewayConfig(process.env);
  // Off unless OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT is set; before any database client.
  tracing = await startTracing('needtoknow', process.env);
  const consoleConfig = readConsoleConfig(process.env);
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    const local = await startLocalDatabase();
    embedded = local;
    uri = local.uri;
  }
  const client = await connectMongo(uri, 'needtoknow-dev');
  mongo = client;
  const dbs = perSubgraph((name) => client.db(databaseName(prefix, name)));
  if ((await dbs.clients.collection('clients').estimatedDocumentCount()) === 0) {
    console.log(`seeding demo data into ${redactMongoUri(uri)} (databases ${SUBGRAPH_NAMES.map((name) => databaseName(prefix, name)).join(', ')})…`);
    await seedDatabases(dbs, { size: 'demo', now: new Date() });
  } else {
    console.log(`using the data already in ${redactMongoUri(uri)} (${prefix}*); drop those databases to reseed`);
  }
  stack = await startStack({ mongo, env: process.env });
  const url = stack.gateway.url;
  // The web console (built by `prestart`), in front of this gateway on its own port.
  consoleServer = await startConsoleServer({ ...consoleConfig, gatewayOrigin: new URL(url).origin }, createLogger('console', process.env.LOG_LEVEL ?? 'info'));
  console.log(`
needtoknow is running.
  web console:      ${consoleServer.url}${consoleConfig.devSignIn ? '  (demo sign-in and the role lens: development only)' : ''}
  GraphQL gateway:  ${url}
  subgraphs:        ${Object.values(stack.subgraphs)
    .map((s) => s.url)
    .join('  ')} (gateway-signed requests only)

Get a development token for a role, then query the gateway with it, e.g.:
  TOKEN=$(npm run --silent token -- --role support_worker --sub ${PERSONAS.keyworkerOfSam})
  curl -s ${url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ myCaseload { name keyworkers { name } caseNotes { venue } consents { recipientOrganisation active } } }"}'

Demo principals are listed in README.md ("Demo data"). Ctrl-C stops everything.
`);
  const { config: gatewayConfig } = readGatewayConfig(process.env);
  // Ctrl-C or SIGTERM: requests in flight finish, the audit queue drains, then everything closes.
  onShutdown(createLogger('needtoknow', gatewayConfig.logLevel), stopAll, { forceAfterMs: forcedExitAfter(gatewayConfig.shutdownGraceMs) });
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  await stop(1);
}
