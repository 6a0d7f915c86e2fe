import type { MongoClient } from 'mongodb';
import { readGatewayConfig } from '../gateway/config.js';
import { ConfigError } from '../platform/env.js';
import { connectMongo, databaseName, redactMongoUri } from '../platform/mongo.js';
import { PERSONAS } from '../seed/personas.js';
import { seedDatabases } from '../seed/write.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../stack/embedded-mongo.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';

/**
 * `npm start`: the whole stack on one machine for development and demos. Uses MONGODB_URI
 * when set, else an embedded mongod; seeds the demo data into empty databases; starts the
 * three subgraphs and the gateway; Ctrl-C stops everything.
 */

const prefix = process.env.MONGODB_DB_PREFIX ?? 'needtoknow_';
let embedded: EmbeddedMongo | undefined;
let mongo: MongoClient | undefined;
let stack: RunningStack | undefined;

async function stop(code: number): Promise<never> {
  await stack?.close().catch(() => undefined);
  await mongo?.close().catch(() => undefined);
  await embedded?.stop().catch(() => undefined);
  process.exit(code);
}

try {
  // Validate everything before starting anything, so a bad variable fails fast and clearly.
  readGatewayConfig(process.env);
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    console.log('MONGODB_URI is not set: starting the embedded MongoDB (mongodb-memory-server)…');
    embedded = await startEmbeddedMongo();
    uri = embedded.uri;
  }
  mongo = await connectMongo(uri, 'needtoknow-dev');
  const dbs = {
    clients: mongo.db(databaseName(prefix, 'clients')),
    hr: mongo.db(databaseName(prefix, 'hr')),
    consent: mongo.db(databaseName(prefix, 'consent')),
  };
  if ((await dbs.clients.collection('clients').estimatedDocumentCount()) === 0) {
    console.log(`seeding demo data into ${redactMongoUri(uri)} (databases ${prefix}clients, ${prefix}hr, ${prefix}consent)…`);
    await seedDatabases(dbs, { size: 'demo', now: new Date() });
  } else {
    console.log(`using the data already in ${redactMongoUri(uri)} (${prefix}*); drop those databases to reseed`);
  }
  stack = await startStack({ mongo, env: process.env });
  const url = stack.gateway.url;
  console.log(`
needtoknow is running.
  GraphQL gateway:  ${url}
  subgraphs:        ${Object.values(stack.subgraphs).map((s) => s.url).join('  ')} (gateway-signed requests only)

Get a development token for a role, then query the gateway with it, e.g.:
  TOKEN=$(npm run --silent token -- --role support_worker --sub ${PERSONAS.keyworkerOfSam})
  curl -s ${url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ myCaseload { name keyworkers { name } caseNotes { venue } consents { recipientOrganisation active } } }"}'

Demo principals are listed in README.md ("Demo data"). Ctrl-C stops everything.
`);
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  await stop(1);
}
