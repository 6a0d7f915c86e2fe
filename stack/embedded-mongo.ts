import { MongoMemoryServer } from 'mongodb-memory-server-core';

/**
 * The embedded default database: a real `mongod` run by mongodb-memory-server, which
 * downloads the binary once on a machine with internet access. Where it cannot be had,
 * the error says how to point MONGODB_URI at a server instead.
 */

export interface EmbeddedMongo {
  readonly uri: string;
  stop(): Promise<void>;
}

export const NO_EMBEDDED_DATABASE_HELP = [
  'The embedded MongoDB (mongodb-memory-server) could not be started; it needs to download',
  'a mongod binary once, which this machine cannot do (offline?), or the binary failed to run.',
  'Point MONGODB_URI at a MongoDB or FerretDB server instead, for example:',
  '  MONGODB_URI=mongodb://127.0.0.1:27017/ npm start',
  'FerretDB 1.x works too; README.md ("Running without internet") shows how to build and start it.',
].join('\n');

export async function startEmbeddedMongo(): Promise<EmbeddedMongo> {
  let server: MongoMemoryServer;
  try {
    server = await MongoMemoryServer.create();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new Error(`${NO_EMBEDDED_DATABASE_HELP}\n(cause: ${reason})`);
  }
  return {
    uri: server.getUri(),
    stop: async () => {
      await server.stop();
    },
  };
}
