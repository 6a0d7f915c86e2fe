import type { IRule } from 'graphql-shield';
import { CONDITIONS, type ConditionName, type FactKind, type Facts } from './conditions.js';
import type { Access, Grant } from './policy.js';
import type { PolicyContext } from './policy-context.js';
import type { Role } from './roles.js';

/**
 * A policy rule is the graphql-shield rule for one field, derived from the field's access in
 * shield/policy.ts, plus what the gateway must know before planning:
 * - `decide(role)`: `allow` and `deny` are settled by the role alone; `check` depends on the
 *   object, so the field is fetched and the shield rule decides over the fetched result.
 *   A field no role-decision allows is removed from the operation: never fetched.
 * - `readsFor(role)`: the fact kinds its conditions read for that role, fetched only for roles
 *   the rule checks and never returned.
 */

export type Decision = 'allow' | 'deny' | 'check';

export interface PolicyRule {
  readonly shieldRule: IRule;
  decide(role: Role): Decision;
  /** The kinds of fact the conditions checked for this role read. */
  readsFor(role: Role): readonly FactKind[];
}

/** The conditions of a grant, any one of which is enough ([] for `always`). */
export function conditionsOf(grant: Grant): readonly ConditionName[] {
  if (grant === 'always') return [];
  return typeof grant === 'string' ? [grant] : grant;
}

export function decisionFor(access: Access, role: Role): Decision {
  const grant = access[role];
  if (grant === undefined) return 'deny';
  return grant === 'always' ? 'allow' : 'check';
}

/** Whether the grant holds for these facts: the role must be named, and any one condition hold. */
export function grantHolds(access: Access, facts: () => Facts, context: PolicyContext): boolean {
  const grant = access[context.principal.role];
  if (grant === undefined) return false;
  if (grant === 'always') return true;
  const known = facts();
  return conditionsOf(grant).some((name) => CONDITIONS[name].holds(known, context.principal));
}

export function readsOf(access: Access, role: Role): readonly FactKind[] {
  const grant = access[role];
  if (grant === undefined) return [];
  return [...new Set(conditionsOf(grant).flatMap((name) => CONDITIONS[name].reads))];
}
