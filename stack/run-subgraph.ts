import type { MongoClient } from 'mongodb';
import { ConfigError } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { startTracing, type Tracing } from '../platform/tracing.js';
import { connectMongo, databaseName } from '../platform/mongo.js';
import { readSubgraphConfig, type SubgraphName } from '../subgraphs/shared/config.js';
import { SUBGRAPH_REGISTRY } from '../subgraphs/registry.js';
import { forcedExitAfter, onShutdown, stopInOrder } from './shutdown.js';

/** Entry point of one subgraph as its own process (docker-compose, production). */
export async function runSubgraphProcess(name: SubgraphName): Promise<void> {
  let mongo: MongoClient | undefined;
  let tracing: Tracing | undefined;
  try {
    const { config } = readSubgraphConfig(name, process.env);
    if (config.mongodbUri === undefined) {
      throw new ConfigError(`${name} subgraph`, ['MONGODB_URI is required when a subgraph runs on its own (npm start provides an embedded database)']);
    }
    const logger = createLogger(`subgraph-${name}`, config.logLevel);
    const definition = await SUBGRAPH_REGISTRY[name].load();
    // Off unless OTEL_TRACES_EXPORTER or OTEL_EXPORTER_OTLP_ENDPOINT is set; before the database client.
    tracing = await startTracing(`needtoknow-${name}`, process.env);
    mongo = await connectMongo(config.mongodbUri, `needtoknow-${name}`);
    const db = mongo.db(databaseName(config.databasePrefix, name));
    const running = await definition.start({ config, db, logger });
    onShutdown(logger, stopInOrder(running, mongo, tracing), { forceAfterMs: forcedExitAfter(config.shutdownGraceMs) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await mongo?.close();
    await tracing?.shutdown();
    process.exit(1);
  }
}
