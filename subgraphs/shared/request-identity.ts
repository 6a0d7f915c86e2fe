import { forbiddenError } from '../../platform/errors/coded-error.js';
import type { Principal } from '../../shield/roles.js';

/** What every subgraph resolver knows about the request: who, as forwarded by the gateway. */
export interface RequestIdentity {
  readonly principal: Principal;
  readonly requestId: string;
}

/** The one error a subgraph gives for a refused root field, the gateway's FORBIDDEN; it never says why. */
export const forbidden = forbiddenError;
