/**
 * One stack (three subgraphs and the gateway) in a process of its own, for `npm run bench`.
 * bench/run.ts forks one with redaction on and one with it off, so the load generator, each
 * stack and the database never share an event loop, and each stack has its own heap and JIT.
 *
 * Not meant to be run by hand. Arguments: `--redaction on|off --prefix <database prefix>`;
 * MONGODB_URI from the environment. Talks to its parent over the IPC channel only
 * (bench/child-protocol.ts).
 */
import type { MongoClient } from 'mongodb';
import { connectMongo } from '../platform/mongo.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';
import { argument, countInFlight, failStart, send, serveParent } from './child-protocol.js';
import { benchStackEnv } from './stack-env.js';

let mongo: MongoClient | undefined;
let stack: RunningStack | undefined;
let closing: Promise<void> | undefined;

function close(): Promise<void> {
  closing ??= (async () => {
    await stack?.close().catch(() => undefined);
    await mongo?.close().catch(() => undefined);
  })();
  return closing;
}

serveParent(close);
try {
  if (!process.send) throw new Error('bench stack: run by bench/run.ts (needs an IPC channel)');
  const redaction = argument('--redaction');
  if (redaction !== 'on' && redaction !== 'off') throw new Error('bench stack: --redaction must be on or off');
  const prefix = argument('--prefix');
  const uri = process.env.MONGODB_URI;
  if (!uri) throw new Error('bench stack: MONGODB_URI is not set');
  mongo = await connectMongo(uri, `needtoknow-bench-${redaction}`);
  stack = await startStack({
    mongo,
    env: benchStackEnv(prefix),
    ephemeralPorts: true,
    gateway: { redaction: redaction === 'on' },
  });
  countInFlight(stack.gateway.server);
  for (const subgraph of Object.values(stack.subgraphs)) countInFlight(subgraph.server);
  const subgraphs = Object.fromEntries(Object.entries(stack.subgraphs).map(([name, running]) => [name, running.url])) as Record<SubgraphName, string>;
  await send({ type: 'ready', url: stack.gateway.url, subgraphs });
} catch (error) {
  await failStart(error, close);
}
