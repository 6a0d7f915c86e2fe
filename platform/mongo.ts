import { MongoClient, type MongoClientOptions } from 'mongodb';

/** Each subgraph owns one database: `<prefix><subgraph>` on the configured server. */
export function databaseName(prefix: string, subgraph: string): string {
  return `${prefix}${subgraph}`;
}

/** Masks credentials so a connection string can be printed. */
export function redactMongoUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

export async function connectMongo(uri: string, appName: string, options: MongoClientOptions = {}): Promise<MongoClient> {
  const client = new MongoClient(uri, { appName, serverSelectionTimeoutMS: 10_000, ignoreUndefined: true, ...options });
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${appName}: cannot reach MongoDB at ${redactMongoUri(uri)} (${reason})`);
  }
  return client;
}
