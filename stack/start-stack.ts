import type { Db, MongoClient } from 'mongodb';
import type { Env } from '../platform/env.js';
import type { RunningHttpServer } from '../platform/graphql-http-server.js';
import type { DestinationStream } from 'pino';
import { createLogger } from '../platform/logger.js';
import { databaseName } from '../platform/mongo.js';
import { portVariable, readSubgraphConfig, type SubgraphName } from '../subgraphs/shared/config.js';
import type { RunningSubgraph } from '../subgraphs/shared/serve-subgraph.js';
import { readGatewayConfig, subgraphUrlVariable } from '../gateway/config.js';
import { startGateway } from '../gateway/start-gateway.js';
import { loadSubgraphs } from '../subgraphs/registry.js';

/**
 * The whole stack in one process: every registered subgraph and the gateway, over one MongoDB
 * client the caller owns. `npm start` and the end-to-end tests use it; production runs
 * each piece as its own process (gateway/main.ts, subgraphs/<name>/main.ts).
 */

export interface RunningStack {
  readonly gateway: RunningHttpServer;
  readonly subgraphs: Readonly<Record<SubgraphName, RunningSubgraph>>;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly mongo: MongoClient;
  /** Base environment for every piece (NODE_ENV, secrets, LOG_LEVEL, MONGODB_DB_PREFIX, ports). */
  readonly env: Env;
  /** Port 0 everywhere asks the OS for free ports (tests). */
  readonly ephemeralPorts?: boolean;
  /** The audit database; by default `<prefix>audit` on `mongo`. */
  readonly auditDb?: Db;
  /** Passed to startGateway: tests and the benchmark only. */
  readonly gateway?: Pick<Parameters<typeof startGateway>[0], 'redaction' | 'observeSubgraphRequest'>;
  /** Where the gateway reaches a subgraph, given where it listens (fault tests put a proxy between). */
  readonly subgraphUrl?: (name: SubgraphName, url: string) => Promise<string>;
  /** Every piece logs here instead of stdout (tests read the lines). */
  readonly logDestination?: DestinationStream;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { mongo, env } = options;
  const started: RunningHttpServer[] = [];
  const closeAll = async () => {
    for (const server of started.reverse()) await server.close();
  };
  try {
    const subgraphs = {} as Record<SubgraphName, RunningSubgraph>;
    const gatewayEnv: Record<string, string | undefined> = { ...env };
    for (const subgraph of await loadSubgraphs()) {
      const { config } = readSubgraphConfig(subgraph.name, {
        ...env,
        ...(options.ephemeralPorts ? { [portVariable(subgraph.name)]: '0' } : {}),
      });
      const logger = createLogger(`subgraph-${subgraph.name}`, config.logLevel, options.logDestination);
      const db = mongo.db(databaseName(config.databasePrefix, subgraph.name));
      const running = await subgraph.start({ config, db, logger });
      started.push(running);
      subgraphs[subgraph.name] = running;
      gatewayEnv[subgraphUrlVariable(subgraph.name)] = options.subgraphUrl ? await options.subgraphUrl(subgraph.name, running.url) : running.url;
    }
    if (options.ephemeralPorts) gatewayEnv.GATEWAY_PORT = '0';
    const { config } = readGatewayConfig(gatewayEnv);
    const auditDb = options.auditDb ?? mongo.db(databaseName(config.databasePrefix, 'audit'));
    const gateway = await startGateway({ ...options.gateway, config, auditDb, logger: createLogger('gateway', config.logLevel, options.logDestination) });
    started.push(gateway);
    return { gateway, subgraphs, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
