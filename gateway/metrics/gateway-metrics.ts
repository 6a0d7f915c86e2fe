import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HttpMetrics } from '../../platform/graphql-http-server.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../subgraphs/registry.js';

/**
 * The gateway's Prometheus metrics, in a registry of its own (one per gateway, so two in one
 * process never mix). Every label is from a fixed, small set: routes, methods, status codes,
 * error codes, roles, subgraph names, failure causes, and operation names reduced to GraphQL
 * names and capped in number (gateway/metrics/operation-names.ts). No label ever carries an id,
 * a variable, a path as sent or anything a caller typed beyond an operation name.
 */

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export type SubgraphFailureCause = 'timeout' | 'unreachable' | 'http-status' | 'bad-response' | 'rejected' | 'subgraph-error';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #token: Buffer | undefined;

  readonly httpRequests = new Counter({
    name: 'ntk_http_requests_total',
    help: 'HTTP requests by route, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'ntk_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['route'],
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly operations = new Counter({
    name: 'ntk_graphql_operations_total',
    help: 'GraphQL operations by operation name and type',
    labelNames: ['operation', 'type'],
    registers: [this.registry],
  });
  readonly operationErrors = new Counter({
    name: 'ntk_graphql_errors_total',
    help: 'GraphQL errors in responses by code and operation name',
    labelNames: ['code', 'operation'],
    registers: [this.registry],
  });
  readonly operationDuration = new Histogram({
    name: 'ntk_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name',
    labelNames: ['operation'],
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly denials = new Counter({
    name: 'ntk_denials_total',
    help: 'Fields and operations denied (FORBIDDEN) by the caller’s role',
    labelNames: ['role'],
    registers: [this.registry],
  });
  readonly rateLimitRefusals = new Counter({
    name: 'ntk_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit (emergency lookups)',
    labelNames: ['limit'],
    registers: [this.registry],
  });
  readonly subgraphDuration = new Histogram({
    name: 'ntk_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetch latency by subgraph and outcome',
    labelNames: ['subgraph', 'outcome'],
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly subgraphFailures = new Counter({
    name: 'ntk_subgraph_fetch_failures_total',
    help: 'Subgraph fetches that failed, by subgraph and cause',
    labelNames: ['subgraph', 'cause'],
    registers: [this.registry],
  });
  readonly auditDuration = new Histogram({
    name: 'ntk_audit_write_duration_seconds',
    help: 'Audit trail appends, queued to acknowledged',
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly auditFailures = new Counter({ name: 'ntk_audit_write_failures_total', help: 'Audit trail appends that failed', registers: [this.registry] });
  readonly auditPending = new Gauge({
    name: 'ntk_audit_appends_pending',
    help: 'Audit trail appends waiting to be acknowledged (queue depth)',
    registers: [this.registry],
  });

  constructor(options: { token: string | undefined }) {
    // Hashed to a fixed length so the comparison is constant-time whatever was sent.
    this.#token = options.token === undefined ? undefined : createHash('sha256').update(options.token).digest();
    collectDefaultMetrics({ register: this.registry, prefix: 'ntk_' });
    // Series that exist before the first failure, so a dashboard shows 0, not "no data".
    for (const subgraph of SUBGRAPH_NAMES) this.subgraphFailures.inc({ subgraph, cause: 'timeout' }, 0);
    this.auditFailures.inc(0);
    this.rateLimitRefusals.inc({ limit: 'emergency-lookup' }, 0);
  }

  /** Counts a subgraph fetch: its duration, and its cause when it failed. */
  subgraphFetch(subgraph: SubgraphName, seconds: number, failure?: SubgraphFailureCause): void {
    this.subgraphDuration.observe({ subgraph, outcome: failure ? 'failure' : 'success' }, seconds);
    if (failure) this.subgraphFailures.inc({ subgraph, cause: failure });
  }

  /** Times an audit append from the outside (the trail's own code is left alone). */
  async auditAppend(append: () => Promise<void>): Promise<void> {
    const stop = this.auditDuration.startTimer();
    this.auditPending.inc();
    try {
      await append();
    } catch (error) {
      this.auditFailures.inc();
      throw error;
    } finally {
      this.auditPending.dec();
      stop();
    }
  }

  /** The HTTP side: `/metrics` behind its bearer secret, and one observation per request. */
  http(): HttpMetrics {
    return {
      authorize: (req: IncomingMessage) => this.#authorized(req.headers.authorization),
      render: async () => ({ contentType: this.registry.contentType, text: await this.registry.metrics() }),
      observe: ({ route, method, status, seconds }) => {
        this.httpRequests.inc({ route, method: ['GET', 'POST', 'OPTIONS'].includes(method) ? method : 'OTHER', status: String(status) });
        this.httpDuration.observe({ route }, seconds);
      },
    };
  }

  #authorized(header: string | undefined): boolean {
    if (this.#token === undefined || header === undefined) return false;
    const match = /^Bearer (.+)$/.exec(header);
    if (!match?.[1]) return false;
    return timingSafeEqual(createHash('sha256').update(match[1]).digest(), this.#token);
  }
}
