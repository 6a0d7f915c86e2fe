import { or, rule, type IRule } from 'graphql-shield';

/** graphql-shield's rule union (its ShieldRule type is not exported from the package root). */
type ShieldRule = IRule | ReturnType<typeof or>;
import type { Role } from './roles.js';
import type { PolicyContext } from './policy-context.js';

/**
 * A policy rule is a graphql-shield rule plus what the gateway must know before planning:
 * - `decide(role)`: `allow` and `deny` are settled by the role alone; `check` depends on the
 *   object, so the field is fetched and the shield rule decides over the fetched result.
 *   A field no role-decision allows is removed from the operation: never fetched.
 * - `needsFor(role)`: data the rule reads for that role, as selections to add under an
 *   enclosing selection of the named type (for example a Client's keyworker ids). It is
 *   fetched under internal aliases, only for roles the rule checks, and never returned.
 */

export type Decision = 'allow' | 'deny' | 'check';

/** Selections a rule needs, keyed by the type whose selection set they are added to. */
export type Needs = Readonly<Record<string, string>>;

export interface PolicyRule {
  readonly shieldRule: ShieldRule;
  decide(role: Role): Decision;
  needsFor(role: Role): Needs;
}

const NOTHING: Needs = {};

/** What a check predicate gets: the fetched object and its ancestors, nearest first. */
export type Predicate = (object: Record<string, unknown>, ancestors: readonly Record<string, unknown>[], context: PolicyContext) => boolean;

/** Reads the chain of parents the redaction schema records on every fetched object. */
export const ANCESTORS = Symbol('needtoknow.ancestors');

export function ancestorsOf(object: object): readonly Record<string, unknown>[] {
  return (object as { [ANCESTORS]?: Record<string, unknown>[] })[ANCESTORS] ?? [];
}

/** Allowed to these roles whatever the object; evaluated once per request and rule. */
export function allowRoles(name: string, roles: readonly Role[]): PolicyRule {
  const allowed = new Set<Role>(roles);
  return {
    shieldRule: rule(`allow:${name}`, { cache: 'contextual' })((_parent, _args, context: PolicyContext) => allowed.has(context.principal.role)),
    decide: (role) => (allowed.has(role) ? 'allow' : 'deny'),
    needsFor: () => NOTHING,
  };
}

/**
 * Allowed to these roles when `predicate` holds for the object. No cache: the predicates
 * read data already fetched (no I/O), and graphql-shield's strict cache would hash every
 * parent object to find a cached answer, which costs more than the predicate.
 */
export function checkFor(name: string, roles: readonly Role[], needs: Needs, predicate: Predicate): PolicyRule {
  const applies = new Set<Role>(roles);
  return {
    shieldRule: rule(`check:${name}`, { cache: 'no_cache' })((parent: Record<string, unknown>, _args, context: PolicyContext) =>
      applies.has(context.principal.role) && parent !== null && typeof parent === 'object' && predicate(parent, ancestorsOf(parent), context),
    ),
    decide: (role) => (applies.has(role) ? 'check' : 'deny'),
    needsFor: (role) => (applies.has(role) ? needs : NOTHING),
  };
}

/** Allowed when any of the rules allows. */
export function anyOf(...rules: PolicyRule[]): PolicyRule {
  return {
    shieldRule: or(...rules.map((each) => each.shieldRule)),
    decide: (role) => {
      const decisions = rules.map((each) => each.decide(role));
      if (decisions.includes('allow')) return 'allow';
      if (decisions.includes('check')) return 'check';
      return 'deny';
    },
    needsFor: (role) => {
      const needs: Record<string, string> = {};
      for (const each of rules) {
        for (const [type, selection] of Object.entries(each.needsFor(role))) {
          if (!needs[type]?.includes(selection)) needs[type] = needs[type] ? `${needs[type]} ${selection}` : selection;
        }
      }
      return needs;
    },
  };
}

export const denyAll: PolicyRule = {
  shieldRule: rule('deny', { cache: 'contextual' })(() => false),
  decide: () => 'deny',
  needsFor: () => NOTHING,
};

export type { IRule };
