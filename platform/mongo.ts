import { MongoClient, type MongoClientOptions } from 'mongodb';
import { traceMongoCommands, tracingActive } from './tracing.js';

/** Each subgraph owns one database: `<prefix><subgraph>` on the configured server. */
export function databaseName(prefix: string, subgraph: string): string {
  return `${prefix}${subgraph}`;
}

/** Masks credentials so a connection string can be printed. */
export function redactMongoUri(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}

export async function connectMongo(uri: string, appName: string, options: MongoClientOptions = {}): Promise<MongoClient> {
  const tracing = tracingActive();
  const client = new MongoClient(uri, {
    appName,
    serverSelectionTimeoutMS: 10_000,
    ignoreUndefined: true,
    ...options,
    ...(tracing ? { monitorCommands: true } : {}),
  });
  // Database spans (platform/tracing.ts) while tracing is on: command names only, never values.
  if (tracing) traceMongoCommands(client);
  try {
    await client.connect();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${appName}: cannot reach MongoDB at ${redactMongoUri(uri)} (${reason})`);
  }
  return client;
}
