import type { Db } from 'mongodb';
import { AuditLog } from '../audit/audit-log.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/**
 * The audit trail as the gateway uses it, timed and counted (latency, failures, appends
 * pending) from the outside, and drained on shutdown: `drain()` waits until every append made
 * so far is acknowledged or refused, so a stopping gateway never exits with an entry still
 * queued. The trail's own writing is untouched.
 */
export class MeteredAuditLog extends AuditLog {
  readonly #metrics: GatewayMetrics;
  readonly #pending = new Set<Promise<unknown>>();

  constructor(db: Db, metrics: GatewayMetrics, ...rest: ConstructorParameters<typeof AuditLog> extends [Db, ...infer R] ? R : never) {
    super(db, ...rest);
    this.#metrics = metrics;
  }

  override append(...args: Parameters<AuditLog['append']>): ReturnType<AuditLog['append']> {
    let result: ReturnType<AuditLog['append']> | undefined;
    const timed = this.#metrics.auditAppend(async () => {
      result = super.append(...args);
      await result;
    });
    const settled = timed.catch(() => undefined);
    this.#pending.add(settled);
    void settled.finally(() => this.#pending.delete(settled));
    // The caller gets the trail's own promise (its value and its error), not the timer's.
    return result as ReturnType<AuditLog['append']>;
  }

  /** Resolves once every append made so far has been acknowledged or refused. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
