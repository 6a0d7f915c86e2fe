/**
 * One stack (three subgraphs and the gateway) in a process of its own, for `npm run bench`.
 * bench/run.ts forks one with redaction on and one with it off, so the load generator, each
 * stack and the database never share an event loop, and each stack has its own heap and JIT.
 *
 * Not meant to be run by hand. Arguments: `--redaction on|off --prefix <database prefix>`;
 * MONGODB_URI from the environment. Talks to its parent over the IPC channel only.
 */
import type { Server, ServerResponse } from 'node:http';
import type { MongoClient } from 'mongodb';
import { connectMongo } from '../platform/mongo.js';
import { startStack, type RunningStack } from '../stack/start-stack.js';

export type ChildRequest = { readonly type: 'status'; readonly id: number } | { readonly type: 'close' };

export type ChildMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'status';
      readonly id: number;
      /** CPU time this process has used (user + system), µs. */
      readonly micros: number;
      /** performance.now() in this process, ms. */
      readonly at: number;
      /** HTTP requests the gateway and the subgraphs are still working on. */
      readonly inFlight: number;
    };

/** Resolves once the message is handed to the channel, so a disconnect after it cannot drop it. */
function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

function argument(name: string): string {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`bench stack: ${name} is required`);
  return value;
}

let inFlight = 0;

/**
 * Counts requests from arrival until the handler ends its response. Not the socket's 'close':
 * when a client gives up (autocannon at the end of a run), the handler keeps working, and the
 * benchmark waits for that work to finish before the next run.
 */
function countInFlight(server: Server): void {
  server.prependListener('request', (_req: unknown, res: ServerResponse) => {
    inFlight += 1;
    let ended = false;
    const end = res.end as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (!ended) {
        ended = true;
        inFlight -= 1;
      }
      return end.apply(res, args);
    }) as ServerResponse['end'];
  });
}

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

// The parent went away (crashed or was killed): never outlive it.
process.on('disconnect', () => {
  void close().then(() => process.exit());
});

process.on('message', (raw: unknown) => {
  const request = raw as ChildRequest;
  if (request.type === 'status') {
    const usage = process.cpuUsage();
    void send({ type: 'status', id: request.id, micros: usage.user + usage.system, at: performance.now(), inFlight });
  } else if (request.type === 'close') {
    // The parent waits for this process to exit.
    void close().then(() => {
      if (process.connected) process.disconnect();
    });
  }
});

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
    // Built from scratch, not from process.env: the tokens bench/run.ts mints use the
    // development secrets and issuer, so a JWT_SECRET in the shell must not change them.
    // Long deadlines: a report at the benchmark size takes FerretDB tens of seconds, and the bench measures it rather than cutting it off.
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', MONGODB_DB_PREFIX: prefix, REQUEST_DEADLINE_MS: '300000', SUBGRAPH_TIMEOUT_MS: '300000', AUDIT_RECONCILE_GRACE_MS: '600000' },
    ephemeralPorts: true,
    gateway: { redaction: redaction === 'on' },
  });
  countInFlight(stack.gateway.server);
  for (const subgraph of Object.values(stack.subgraphs)) countInFlight(subgraph.server);
  await send({ type: 'ready', url: stack.gateway.url });
} catch (error) {
  await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  await close();
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}
