import type { Principal } from '../shield/roles.js';

/** What the gateway knows about one request once its token is verified. */
export interface GatewayContext {
  readonly principal: Principal;
  readonly requestId: string;
}
