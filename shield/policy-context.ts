import type { Facts } from './conditions.js';
import type { Principal } from './roles.js';

/** What rules may read besides the fetched objects: who asks, and one clock reading. */
export interface PolicyContext {
  readonly principal: Principal;
  readonly now: Date;
  /** Root fields (by response key) that the checks made before forwarding refused. */
  readonly refused?: ReadonlySet<string>;
}

/**
 * What a field rule is checked with: the policy says which kinds of fact its conditions read
 * (PolicyRule.readsFor); the layer that fetched the object knows how those facts were fetched
 * beside it, so it supplies them (gateway/redaction/fact-selections.ts).
 */
export interface FieldRuleContext extends PolicyContext {
  factsAbout(object: Record<string, unknown>): Facts;
}
