import { MongoMemoryServer } from 'mongodb-memory-server-core';

/**
 * The embedded default database: a real `mongod` run by mongodb-memory-server, which
 * downloads the binary once on a machine with internet access. Where it cannot be had,
 * `npm start` tries FerretDB (stack/ferretdb-fallback.ts), and failing that says how.
 */

export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

export class EmbeddedMongoUnavailableError extends Error {
  /** The first line of what mongodb-memory-server said: the real cause (offline, no binary for this OS, …). */
  readonly reason: string;
  constructor(reason: string) {
    super(`the embedded MongoDB could not be started: ${reason}`);
    this.name = 'EmbeddedMongoUnavailableError';
    this.reason = reason;
  }
}

/** What to do when neither the embedded mongod nor FerretDB could be started. */
export function noDatabaseHelp(causes: readonly string[]): string {
  return [
    'No database: the embedded MongoDB (mongodb-memory-server) could not be started, and neither could FerretDB.',
    ...causes.map((cause) => `  cause: ${cause}`),
    'Point MONGODB_URI at a MongoDB or FerretDB server, for example:',
    '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm start',
    'or build and start FerretDB 1.x yourself (needs Go, https://go.dev/dl/):',
    '  scripts/ferretdb/ferretdb.sh build',
    '  PID=$(scripts/ferretdb/ferretdb.sh start /tmp/ferretdb 27017)',
    '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm start',
    'README.md ("Running without internet") has the details.',
  ].join('\n');
}

export async function startEmbeddedMongo(): Promise<EmbeddedMongo> {
  let server: MongoMemoryServer;
  try {
    server = await MongoMemoryServer.create();
  } catch (error) {
    throw new EmbeddedMongoUnavailableError(error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error));
  }
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop();
    },
  };
}
