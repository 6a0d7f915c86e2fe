import { GraphQLError } from 'graphql';
import type { Principal, Role } from '../../shield/roles.js';

/** What every subgraph resolver knows about the request: who, as forwarded by the gateway. */
export interface RequestIdentity {
  readonly principal: Principal;
  readonly requestId: string;
}

/** The one error a subgraph gives for a refused root field; it never says why. */
export function forbidden(): GraphQLError {
  return new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } });
}

/**
 * Coarse need-to-know at the subgraph's entry points, a second line behind the gateway's
 * field-level redaction: a role with no business in this database is refused here too.
 */
export function requireRole(identity: RequestIdentity, allowed: readonly Role[]): Principal {
  if (!allowed.includes(identity.principal.role)) throw forbidden();
  return identity.principal;
}
