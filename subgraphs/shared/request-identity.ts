import { forbiddenError } from '../../platform/errors/coded-error.js';
import type { Principal, Role } from '../../shield/roles.js';

/** What every subgraph resolver knows about the request: who, as forwarded by the gateway. */
export interface RequestIdentity {
  readonly principal: Principal;
  readonly requestId: string;
}

/** The one error a subgraph gives for a refused root field, the gateway's FORBIDDEN; it never says why. */
export const forbidden = forbiddenError;

/**
 * Coarse need-to-know at the subgraph's entry points, a second line behind the gateway's
 * field-level redaction: a role with no business in this database is refused here too.
 */
export function requireRole(identity: RequestIdentity, allowed: readonly Role[]): Principal {
  if (!allowed.includes(identity.principal.role)) throw forbidden();
  return identity.principal;
}
