import type { Db } from 'mongodb';
import type { ReadinessReport } from '../platform/graphql-http-server.js';
import type { SubgraphName } from '../subgraphs/shared/config.js';

/**
 * `/health/ready` for the gateway: the supergraph is loaded, the audit database answers (no
 * personal data is returned without it) and every subgraph says it is ready, each within a
 * short timeout. A stopping gateway is not ready, so a load balancer moves away before it
 * closes. Answers are kept for a second, so probing /health/ready (it needs no token) cannot
 * multiply into load on the databases.
 */

const CACHE_MS = 1_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** A subgraph's own readiness URL, beside its GraphQL path. */
function subgraphReadyUrl(graphqlUrl: string): string {
  return new URL('/health/ready', graphqlUrl).toString();
}

export function gatewayReadiness(options: {
  auditDb: Db;
  subgraphUrls: Readonly<Record<SubgraphName, string>>;
  timeoutMs: number;
  supergraphLoaded: () => boolean;
  stopping: () => boolean;
}): () => Promise<ReadinessReport> {
  let cached: { at: number; report: Promise<ReadinessReport> } | undefined;
  const check = async (work: () => Promise<unknown>): Promise<'ok' | 'unavailable'> => {
    try {
      await withTimeout(work(), options.timeoutMs);
      return 'ok';
    } catch {
      return 'unavailable';
    }
  };
  const measure = async (): Promise<ReadinessReport> => {
    const subgraphs = Object.entries(options.subgraphUrls) as [SubgraphName, string][];
    const [audit, ...answers] = await Promise.all([
      check(() => options.auditDb.command({ ping: 1 })),
      ...subgraphs.map(([, url]) =>
        check(async () => {
          const response = await fetch(subgraphReadyUrl(url), { signal: AbortSignal.timeout(options.timeoutMs) });
          await response.body?.cancel();
          if (!response.ok) throw new Error(`status ${response.status}`);
        }),
      ),
    ]);
    const checks: Record<string, 'ok' | 'unavailable'> = { supergraph: options.supergraphLoaded() ? 'ok' : 'unavailable', audit: audit ?? 'unavailable' };
    subgraphs.forEach(([name], index) => {
      checks[name] = answers[index] ?? 'unavailable';
    });
    return { ok: Object.values(checks).every((state) => state === 'ok'), checks };
  };
  return async () => {
    if (options.stopping()) return { ok: false, checks: { stopping: 'unavailable' } };
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, report: measure() };
    return cached.report;
  };
}
