import type { Db } from 'mongodb';
import type { JsonPostRoute, JsonRoute } from '../../platform/graphql-http-server.js';
import type { IdCodec } from '../ids/opaque-ids.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { GatewayConfig } from '../config.js';
import type { GatewayContext } from '../context.js';
import { ensureRateLimitIndexes, SlidingWindowLimiter } from '../limits/lookup-rate-limit.js';
import { alertRoutes } from './alert-routes.js';
import { ChangeOversight } from './change-oversight.js';
import { EmergencyLookupOversight } from './emergency-lookup-oversight.js';
import { ensureAlertIndexes } from './privacy-alert.js';
import { PrivacyAlerts } from './privacy-alerts.js';

/** Everything the gateway needs for oversight of lookups that can be misused, built once at start-up. */
export interface Oversight {
  readonly emergencyLookups: EmergencyLookupOversight;
  /** Break-glass and trustee grants: alerts raised when the change succeeds. */
  readonly changes: ChangeOversight;
  /** For the routes that raise alerts themselves (a subject access export). */
  readonly alerts: PrivacyAlerts;
  readonly routes: Record<string, JsonRoute<GatewayContext>>;
  readonly postRoutes: Record<string, JsonPostRoute<GatewayContext>>;
}

export async function startOversight(options: {
  auditDb: Db;
  audit: AuditLog;
  codec: IdCodec;
  config: Pick<GatewayConfig, 'emergencyLookups'>;
}): Promise<Oversight> {
  const { auditDb, audit, codec } = options;
  await Promise.all([ensureAlertIndexes(auditDb), ensureRateLimitIndexes(auditDb)]);
  const alerts = new PrivacyAlerts(auditDb, audit);
  const { limit, windowMinutes } = options.config.emergencyLookups;
  const limiter = new SlidingWindowLimiter(auditDb, 'emergency-lookup', { limit, windowMs: windowMinutes * 60_000 });
  const routes = alertRoutes(alerts, audit, codec);
  return {
    emergencyLookups: new EmergencyLookupOversight({ limiter, alerts, audit, codec }),
    changes: new ChangeOversight(alerts, codec),
    alerts,
    routes: routes.get,
    postRoutes: routes.post,
  };
}
