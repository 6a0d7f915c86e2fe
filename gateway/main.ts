import type { MongoClient } from 'mongodb';
import { ConfigError } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { startTracing, type Tracing } from '../platform/tracing.js';
import { connectMongo, databaseName } from '../platform/mongo.js';
import { forcedExitAfter, onShutdown, stopInOrder } from '../stack/shutdown.js';
import { readGatewayConfig } from './config.js';
import { startGateway } from './start-gateway.js';

// The gateway as its own process (docker-compose, production).
let mongo: MongoClient | undefined;
let tracing: Tracing | undefined;
try {
  const { config } = readGatewayConfig(process.env);
  if (config.auditMongodbUri === undefined) {
    throw new ConfigError('gateway', ['MONGODB_URI (or AUDIT_MONGODB_URI) is required: the gateway writes the audit trail there']);
  }
  const logger = createLogger('gateway', config.logLevel);
  // Off unless OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT is set; before the database client.
  tracing = await startTracing('needtoknow-gateway', process.env);
  // A request waits for its audit write: an unreachable audit store should fail it in seconds, not hang it.
  mongo = await connectMongo(config.auditMongodbUri, 'needtoknow-gateway-audit', { serverSelectionTimeoutMS: 5_000 });
  const running = await startGateway({ config, logger, auditDb: mongo.db(databaseName(config.databasePrefix, 'audit')) });
  onShutdown(logger, stopInOrder(running, mongo, tracing), { forceAfterMs: forcedExitAfter(config.shutdownGraceMs) });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await mongo?.close();
  await tracing?.shutdown();
  process.exit(1);
}
