import { Kind, type DocumentNode, type GraphQLFieldResolver } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { CONDITIONS, type Facts } from '../../shield/conditions.js';
import { conditionsOf, grantHolds } from '../../shield/policy-rule.js';
import type { RootRule } from '../../shield/policy.js';
import { rolesForType, rootRuleFor } from '../../shield/rules.js';
import { forbidden, type RequestIdentity } from './request-identity.js';

/**
 * Every subgraph's guard, derived from the same policy as the gateway (shield/policy.ts): each
 * query and change is refused to a role the policy does not name for it, and each entity type
 * (`_entities`) to a role the policy names for none of its fields. So a gateway claim that
 * leaks, for a role with no business here, opens nothing. Conditions on the subject named by
 * an argument alone (a person's own record, a manager's own team) are checked here as well;
 * conditions on a client's circle are checked at the gateway, which fetched the circle before
 * forwarding, and again by the clients subgraph for the changes it stores.
 *
 * A root field or entity type without a policy entry stops the subgraph at start-up.
 */

type Resolver = GraphQLFieldResolver<unknown, RequestIdentity, Record<string, unknown>>;
type ReferenceResolver = (reference: object, context: RequestIdentity, info: unknown) => unknown;
type ResolverMap = GraphQLResolverMap<RequestIdentity>;

interface SchemaShape {
  readonly roots: { readonly kind: 'Query' | 'Mutation'; readonly field: string }[];
  readonly entities: string[];
}

function shapeOf(typeDefs: DocumentNode): SchemaShape {
  const roots: SchemaShape['roots'] = [];
  const entities: string[] = [];
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const name = definition.name.value;
    if (name === 'Query' || name === 'Mutation') {
      for (const field of definition.fields ?? []) roots.push({ kind: name, field: field.name.value });
    } else if ((definition.directives ?? []).some((directive) => directive.name.value === 'key')) {
      entities.push(name);
    }
  }
  return { roots, entities };
}

/** The check a subgraph can make from the arguments alone, or undefined when the grant needs a client's circle. */
function subjectOnlyFacts(rule: RootRule, args: Record<string, unknown>): Facts | undefined {
  const locator = rule.subject;
  if (locator === undefined || locator.through !== undefined) return undefined;
  const named = args[locator.argument];
  if (typeof named !== 'string') return undefined;
  return locator.kind === 'team' ? { teamAskedFor: named } : { client: { id: named, keyworkerIds: [], teamId: undefined } };
}

function guardRoot(kind: 'Query' | 'Mutation', field: string, rule: RootRule, resolve: Resolver): Resolver {
  return (parent, args, context, info) => {
    const grant = rule.access[context.principal.role];
    if (grant === undefined) throw forbidden();
    // A subject reached through a record (a consent's client) is looked up by the resolver that loads the record.
    if (
      grant !== 'always' &&
      rule.subject?.through === undefined &&
      conditionsOf(grant).every((name) => CONDITIONS[name].reads.every((read) => read === 'subject'))
    ) {
      const facts = subjectOnlyFacts(rule, args);
      if (facts === undefined || !grantHolds(rule.access, () => facts, { principal: context.principal, now: new Date() })) throw forbidden();
    }
    return resolve(parent, args, context, info);
  };
}

const defaultField: Resolver = (parent, _args, _context, info) => (parent as Record<string, unknown> | null)?.[info.fieldName];
const defaultReference: ReferenceResolver = (reference) => reference;

/** The resolvers with the policy's guard on every root field and entity type. Throws if the policy misses one. */
export function guardResolvers(subgraph: string, typeDefs: DocumentNode, resolvers: ResolverMap): ResolverMap {
  const { roots, entities } = shapeOf(typeDefs);
  const guarded: Record<string, Record<string, unknown>> = Object.fromEntries(
    Object.entries(resolvers).map(([type, map]) => [type, { ...(map as Record<string, unknown>) }]),
  );
  const missing: string[] = [];
  for (const { kind, field } of roots) {
    const rule = rootRuleFor(kind, field);
    if (rule === undefined) {
      missing.push(`${kind}.${field}`);
      continue;
    }
    const map = (guarded[kind] ??= {});
    const resolve = (map[field] as Resolver | undefined) ?? defaultField;
    map[field] = guardRoot(kind, field, rule, resolve);
  }
  for (const type of entities) {
    const roles = rolesForType(type);
    if (roles.size === 0) {
      missing.push(`${type} (entity)`);
      continue;
    }
    const map = (guarded[type] ??= {});
    const resolve = (map.__resolveReference as ReferenceResolver | undefined) ?? defaultReference;
    // Refused as a rejected promise, not a throw: one refused entity is null at its own index, not the whole batch.
    map.__resolveReference = async (reference: object, context: RequestIdentity, info: unknown) => {
      if (!roles.has(context.principal.role)) throw forbidden();
      return resolve(reference, context, info);
    };
  }
  if (missing.length > 0)
    throw new Error(`the ${subgraph} subgraph serves what shield/policy.ts does not name (denied to everyone until it does): ${missing.join(', ')}`);
  return guarded as ResolverMap;
}
