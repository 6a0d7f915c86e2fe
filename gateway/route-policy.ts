import { forbiddenError } from '../platform/errors/coded-error.js';
import { errorAnswer, refusal } from '../platform/errors/error-answer.js';
import { ErrorCode } from '../platform/errors/error-codes.js';
import { routeRuleFor } from '../shield/rules.js';
import type { IdCodec } from './ids/opaque-ids.js';
import type { AuditLog } from './audit/audit-log.js';
import { auditActor, auditRecord } from './audit/audit-record.js';
import type { GatewayContext } from './context.js';

/**
 * The door check for the HTTP routes beside /graphql, from the same policy as everything else
 * (shield/policy.ts, ROUTES): a role the policy does not name for a route is refused before the
 * route runs, with the generic answer, and the refusal is on the audit trail. A route the
 * policy does not name stops the gateway at start-up.
 */

const FORBIDDEN = errorAnswer(forbiddenError());
const AUDIT_UNAVAILABLE = refusal(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail is unavailable, so nothing was read. Try again shortly.');

function guard<R extends (context: GatewayContext, ...rest: never[]) => Promise<unknown>>(path: string, route: R, audit: AuditLog, codec: IdCodec): R {
  const rule = routeRuleFor(path);
  if (rule === undefined) throw new Error(`the route ${path} is not named in shield/policy.ts (ROUTES): it would be open to no one`);
  const guarded = async (context: GatewayContext, ...rest: never[]) => {
    if (rule.access[context.principal.role] !== undefined) return route(context, ...rest);
    try {
      await audit.append({
        ...auditRecord({ at: new Date(), requestId: context.requestId, actor: auditActor(context.principal, codec), action: 'refused', subjects: [] }),
        refusal: ErrorCode.FORBIDDEN,
        asked: [path],
      });
    } catch {
      return AUDIT_UNAVAILABLE;
    }
    return FORBIDDEN;
  };
  return guarded as unknown as R;
}

/** Every route with the policy's door check in front of it. */
export function guardRoutes<R extends (context: GatewayContext, input: never) => Promise<unknown>>(
  routes: Readonly<Record<string, R>>,
  audit: AuditLog,
  codec: IdCodec,
): Record<string, R> {
  return Object.fromEntries(Object.entries(routes).map(([path, route]) => [path, guard(path, route, audit, codec)]));
}
