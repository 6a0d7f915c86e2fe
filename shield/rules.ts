import { createHash } from 'node:crypto';
import { rule, type IRule } from 'graphql-shield';
import type { GraphQLResolveInfo } from 'graphql';
import { FIELDS, MUTATIONS, QUERIES, ROUTES, type Access, type RootRule, type RouteRule } from './policy.js';
import { decisionFor, grantHolds, readsOf, type PolicyRule } from './policy-rule.js';
import type { FieldRuleContext, PolicyContext } from './policy-context.js';
import { ROLES, type Role } from './roles.js';

/**
 * The gateway's graphql-shield rules, derived from shield/policy.ts and nothing else: one rule
 * per distinct access, so two fields with the same access share one rule (graphql-shield wants
 * one rule object per name). Edit the policy, never this file.
 */

type Row = Record<string, unknown>;

function nameOf(kind: string, access: Access): string {
  const canonical = JSON.stringify(ROLES.map((role) => [role, access[role] ?? null]));
  return `${kind}:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}

const made = new Map<string, PolicyRule>();

/** The rule for a field of an object type: the grant must hold over facts fetched beside the object. */
function fieldRule(access: Access): PolicyRule {
  const name = nameOf('field', access);
  const existing = made.get(name);
  if (existing) return existing;
  const conditional = ROLES.some((role) => decisionFor(access, role) === 'check');
  const created: PolicyRule = {
    // Conditional rules read data already fetched (no I/O): graphql-shield's strict cache would
    // hash every parent object to find a cached answer, which costs more than the predicate.
    shieldRule: rule(name, { cache: conditional ? 'no_cache' : 'contextual' })((parent: unknown, _args, context: FieldRuleContext) => {
      if (parent === null || typeof parent !== 'object') return false;
      const object = parent as Row;
      return grantHolds(access, () => context.factsAbout(object), context);
    }),
    decide: (role) => decisionFor(access, role),
    readsFor: (role) => readsOf(access, role),
  };
  made.set(name, created);
  return created;
}

/**
 * The rule for a query or a change: the role must be named. Its conditions are checked on the
 * subject before anything is forwarded (gateway/redaction/root-field-checks.ts); a root field
 * refused there is in `context.refused` and denied here, so it answers like any denied field.
 */
function rootRule(kind: 'Query' | 'Mutation', access: Access): PolicyRule {
  const name = nameOf(kind, access);
  const existing = made.get(name);
  if (existing) return existing;
  const created: PolicyRule = {
    shieldRule: rule(name, { cache: 'no_cache' })(
      (_parent, _args, context: PolicyContext, info: GraphQLResolveInfo) =>
        access[context.principal.role] !== undefined && !(context.refused?.has(String(info.path.key)) ?? false),
    ),
    decide: (role) => decisionFor(access, role),
    // Root conditions read the subject named by the arguments, fetched before forwarding: nothing joins the operation.
    readsFor: () => [],
  };
  made.set(name, created);
  return created;
}

function rootRules(kind: 'Query' | 'Mutation', rules: Readonly<Record<string, RootRule>>): Record<string, PolicyRule> {
  return Object.fromEntries(Object.entries(rules).map(([field, each]) => [field, rootRule(kind, each.access)]));
}

export const POLICY: Readonly<Record<string, Readonly<Record<string, PolicyRule>>>> = {
  Query: rootRules('Query', QUERIES),
  Mutation: rootRules('Mutation', MUTATIONS),
  ...Object.fromEntries(
    Object.entries(FIELDS).map(([type, byField]) => [type, Object.fromEntries(Object.entries(byField).map(([field, access]) => [field, fieldRule(access)]))]),
  ),
};

/** ID arguments and the entity type their opaque tokens must name. Any other ID argument is refused. */
export const ID_ARGUMENTS: Readonly<Record<string, Readonly<Record<string, string>>>> = Object.fromEntries(
  (
    [
      ['Query', QUERIES],
      ['Mutation', MUTATIONS],
    ] as const
  ).flatMap(([kind, rules]) => Object.entries(rules).flatMap(([field, each]) => (each.ids ? [[`${kind}.${field}`, each.ids]] : []))),
);

export function policyFor(typeName: string, fieldName: string): PolicyRule | undefined {
  return POLICY[typeName]?.[fieldName];
}

/** The root rule of a query or change, or undefined (denied to everyone). */
export function rootRuleFor(kind: 'Query' | 'Mutation', fieldName: string): RootRule | undefined {
  const rules = kind === 'Query' ? QUERIES : MUTATIONS;
  return Object.hasOwn(rules, fieldName) ? rules[fieldName] : undefined;
}

/** Roles the policy names for any field of a type: who may have one of its objects fetched at all. */
export function rolesForType(typeName: string): ReadonlySet<Role> {
  const roles = new Set<Role>();
  for (const access of Object.values(FIELDS[typeName] ?? {})) {
    for (const role of ROLES) if (access[role] !== undefined) roles.add(role);
  }
  return roles;
}

const ROUTE_PATTERNS = Object.entries(ROUTES).map(([pattern, rule]) => ({
  matches: new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('[A-Za-z0-9_-]+')}$`,
  ),
  rule,
}));

/** The rule for an HTTP route beside /graphql, or undefined (denied to everyone). */
export function routeRuleFor(path: string): RouteRule | undefined {
  return ROUTE_PATTERNS.find((each) => each.matches.test(path))?.rule;
}

/** A rule that denies everyone: the fallback for any field the policy does not name. */
export const denyAll: IRule = rule('deny', { cache: 'contextual' })(() => false);
