import type { TestProject } from 'vitest/node';
import { connectMongo } from '../../platform/mongo.js';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../stack/embedded-mongo.js';

/**
 * One real MongoDB-protocol server for the whole run: the one MONGODB_URI names (FerretDB
 * in CI here), or else an embedded mongod from mongodb-memory-server.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    mongodbUri: string;
  }
}

let embedded: EmbeddedMongo | undefined;

export async function setup(project: TestProject): Promise<void> {
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedMongo();
    uri = embedded.uri;
  }
  const probe = await connectMongo(uri, 'needtoknow-test-probe');
  await probe.close();
  project.provide('mongodbUri', uri);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
