/**
 * What bench/run.ts and the processes it forks (bench/stack-process.ts, bench/peer-process.ts)
 * say to each other over the IPC channel, and the few things every such child does the same way.
 */
import type { Server, ServerResponse } from 'node:http';
import type { SubgraphName } from '../subgraphs/shared/config.js';

export type ChildRequest = { readonly type: 'status'; readonly id: number } | { readonly type: 'close' };

export type ChildMessage =
  | {
      readonly type: 'ready';
      readonly url: string;
      /** Where this process's subgraphs listen (a needtoknow stack only): the peer gateway is pointed at them. */
      readonly subgraphs?: Readonly<Record<SubgraphName, string>>;
    }
  | { readonly type: 'failed'; readonly message: string }
  | {
      readonly type: 'status';
      readonly id: number;
      /** CPU time this process has used (user + system), µs. */
      readonly micros: number;
      /** performance.now() in this process, ms. */
      readonly at: number;
      /** HTTP requests this process's servers are still working on. */
      readonly inFlight: number;
    };

/** Resolves once the message is handed to the channel, so a disconnect after it cannot drop it. */
export function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

export function argument(name: string): string {
  const index = process.argv.indexOf(name);
  const value = index >= 0 ? process.argv[index + 1] : undefined;
  if (value === undefined) throw new Error(`bench child: ${name} is required`);
  return value;
}

let inFlight = 0;

/**
 * Counts requests from arrival until the handler ends its response. Not the socket's 'close'
 * by default: when a client gives up (autocannon at the end of a run), our servers keep working,
 * and the benchmark waits for that work to finish before the next run. `endOnClose` is for a
 * server that gives up with its client instead of ending the response (Hive Gateway does): its
 * subgraph requests are still counted where the subgraphs run.
 */
export function countInFlight(server: Server, options: { endOnClose?: boolean } = {}): void {
  server.prependListener('request', (_req: unknown, res: ServerResponse) => {
    inFlight += 1;
    let ended = false;
    const finished = () => {
      if (!ended) {
        ended = true;
        inFlight -= 1;
      }
    };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- applied to res below, as Node would call it
    const end = res.end as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      finished();
      return end.apply(res, args);
    }) as ServerResponse['end'];
    if (options.endOnClose) res.once('close', finished);
  });
}

/**
 * Answers the parent's status requests and its close, and never outlives the parent. `close`
 * stops whatever the child runs; the parent waits for the process to exit.
 */
export function serveParent(close: () => Promise<void>): void {
  process.on('disconnect', () => {
    void close().then(() => process.exit());
  });
  process.on('message', (raw: unknown) => {
    const request = raw as ChildRequest;
    if (request.type === 'status') {
      const usage = process.cpuUsage();
      void send({ type: 'status', id: request.id, micros: usage.user + usage.system, at: performance.now(), inFlight });
    } else if (request.type === 'close') {
      void close().then(() => {
        if (process.connected) process.disconnect();
      });
    }
  });
}

/** Reports a start-up failure to the parent and lets the process end. */
export async function failStart(error: unknown, close: () => Promise<void>): Promise<void> {
  await send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  await close();
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}
