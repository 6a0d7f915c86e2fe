import type { Principal } from './roles.js';

/** What rules may read besides the fetched objects: who asks, and one clock reading. */
export interface PolicyContext {
  readonly principal: Principal;
  readonly now: Date;
  /** Root fields (by response key) that the checks made before forwarding refused. */
  readonly refused?: ReadonlySet<string>;
}
