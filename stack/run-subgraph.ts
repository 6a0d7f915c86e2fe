import type { MongoClient } from 'mongodb';
import { ConfigError } from '../platform/env.js';
import { createLogger } from '../platform/logger.js';
import { connectMongo, databaseName } from '../platform/mongo.js';
import { readSubgraphConfig, type SubgraphName } from '../subgraphs/shared/config.js';
import { SUBGRAPHS } from './subgraph-definitions.js';
import { forcedExitAfter, onShutdown } from './shutdown.js';

/** Entry point of one subgraph as its own process (docker-compose, production). */
export async function runSubgraphProcess(name: SubgraphName): Promise<void> {
  let mongo: MongoClient | undefined;
  try {
    const { config } = readSubgraphConfig(name, process.env);
    if (config.mongodbUri === undefined) {
      throw new ConfigError(`${name} subgraph`, ['MONGODB_URI is required when a subgraph runs on its own (npm start provides an embedded database)']);
    }
    const logger = createLogger(`subgraph-${name}`, config.logLevel);
    const definition = SUBGRAPHS.find((subgraph) => subgraph.name === name);
    if (!definition) throw new Error(`unknown subgraph ${name}`);
    mongo = await connectMongo(config.mongodbUri, `needtoknow-${name}`);
    const db = mongo.db(databaseName(config.databasePrefix, name));
    const running = await definition.start({ config, db, logger });
    const client = mongo;
    onShutdown(
      logger,
      async () => {
        await running.close();
        await client.close();
      },
      { forceAfterMs: forcedExitAfter(config.shutdownGraceMs) },
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await mongo?.close();
    process.exit(1);
  }
}
