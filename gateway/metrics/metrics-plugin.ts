import type { ApolloServerPlugin } from '@apollo/server';
import { operationLabel } from '../../platform/graphql-http-server.js';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics } from './gateway-metrics.js';

/**
 * Counts each GraphQL operation: by name and type, its errors by code, its latency, the
 * denials in its answer by the caller's role, and rate-limit refusals. Operation names are
 * chosen by clients, so only GraphQL names are kept and at most MAX_OPERATION_NAMES of them
 * (then `other`): a client cannot grow the label set without bound.
 */

const MAX_OPERATION_NAMES = 200;

export function metricsPlugin(metrics: GatewayMetrics): ApolloServerPlugin<GatewayContext> {
  const known = new Set<string>();
  const label = (name: string | null | undefined): string => {
    const candidate = operationLabel(name);
    if (known.has(candidate)) return candidate;
    if (known.size >= MAX_OPERATION_NAMES) return 'other';
    known.add(candidate);
    return candidate;
  };
  return {
    async requestDidStart({ contextValue }) {
      const stop = metrics.operationDuration.startTimer();
      let operation = 'unparsed';
      let type = 'unknown';
      return {
        async didResolveOperation({ operationName, operation: definition }) {
          operation = label(operationName);
          type = definition?.operation ?? 'unknown';
        },
        async willSendResponse({ response }) {
          stop({ operation });
          metrics.operations.inc({ operation, type });
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          for (const error of errors) {
            const code = typeof error.extensions?.code === 'string' && /^[A-Z_]{1,64}$/.test(error.extensions.code) ? error.extensions.code : 'UNKNOWN';
            metrics.operationErrors.inc({ code, operation });
            if (code === 'FORBIDDEN') metrics.denials.inc({ role: contextValue.principal.role });
            if (code === 'RATE_LIMITED') metrics.rateLimitRefusals.inc({ limit: 'emergency-lookup' });
          }
        },
      };
    },
  };
}
