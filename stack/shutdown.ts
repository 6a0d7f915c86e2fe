import type { Logger } from '../platform/logger.js';

/**
 * Stops cleanly on Ctrl-C or SIGTERM: readiness goes down, no new connections, requests in
 * flight finish (at most the grace period), the audit queue drains, connections close, then
 * exit. A second signal, or `forceAfterMs`, exits at once: an operator can always stop it.
 */
export function onShutdown(logger: Pick<Logger, 'info' | 'error'>, stop: () => Promise<void>, options: { forceAfterMs?: number } = {}): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.error({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      logger.error({}, 'shutdown took too long: exiting');
      process.exit(1);
    }, options.forceAfterMs ?? 15_000);
    forced.unref();
    stop()
      .then(() => {
        logger.info({}, 'stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error instanceof Error ? error.message : 'unknown' }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

/** Long enough for the drain (SHUTDOWN_GRACE_MS) and closing the database connections after it. */
export function forcedExitAfter(shutdownGraceMs: number): number {
  return shutdownGraceMs + 5_000;
}

/**
 * What a process opened, closed in the order that loses nothing: the server first (requests in
 * flight finish, the audit queue drains), then its database client, then tracing (spans flushed).
 */
export function stopInOrder(
  server: { close(): Promise<void> },
  client: { close(): Promise<void> },
  tracing: { shutdown(): Promise<void> } | undefined,
): () => Promise<void> {
  return async () => {
    await server.close();
    await client.close();
    await tracing?.shutdown();
  };
}
