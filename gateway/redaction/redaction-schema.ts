import { getNamedType, isAbstractType, isObjectType, printSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import { shield } from 'graphql-shield';
// Every denial gives the one FORBIDDEN the subgraphs and the routes give too: no reason, no hint.
import { forbiddenError } from '../../platform/errors/coded-error.js';
import type { FieldRuleContext } from '../../shield/policy-context.js';
import type { AccessRecorder } from '../audit/access-recorder.js';
import { denyAll, POLICY } from '../../shield/rules.js';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from './aliases.js';
import { ancestorsOf, linkAncestors } from './ancestors.js';

/**
 * The schema the original operation is re-executed on, over the result the gateway fetched
 * for the rewritten one. Its resolvers only read: each field returns what was fetched for
 * its response key (the alias, if any), IDs become opaque tokens for the caller's audience,
 * and every object remembers its ancestors so rules about an object's owner can see it.
 * graphql-shield guards every field with the rules in shield/, denying by default.
 */

export interface RedactionContext extends FieldRuleContext {
  /** Mints the opaque token for a raw id of a type. */
  readonly encodeId: (typeName: string, rawId: string) => string;
  /** Notes, for the audit trail, every field returned or denied and whose data it is. */
  readonly recorder: AccessRecorder;
}

type Row = Record<string | symbol, unknown>;

function readByResponseKey(isId: boolean, typeName: string): GraphQLFieldResolver<Row | null, RedactionContext, Record<string, unknown>> {
  return (parent, args, context, info) => {
    if (parent === null || typeof parent !== 'object') return null;
    if (info.path.prev !== undefined) context.recorder.returned(typeName, info.fieldName, parent);
    else context.recorder.arguments(`${typeName}.${info.fieldName}`, args);
    const value = parent[`${CLIENT_KEY_PREFIX}${info.path.key}`];
    if (isId) {
      if (Array.isArray(value)) return value.map((raw: unknown) => (typeof raw === 'string' ? context.encodeId(typeName, raw) : raw));
      return typeof value === 'string' ? context.encodeId(typeName, value) : value;
    }
    if (value !== null && typeof value === 'object') {
      // Root-level objects have no ancestors: the root value is the whole fetched result, not an object of the API.
      const parentAncestors = info.path.prev === undefined ? [] : [parent, ...ancestorsOf(parent)];
      linkAncestors(value, parentAncestors);
    }
    return value;
  };
}

export function buildRedactionSchema(apiSchema: GraphQLSchema): GraphQLSchema {
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const type of Object.values(apiSchema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type)) {
      resolvers[type.name] = Object.fromEntries(
        Object.values(type.getFields()).map((field) => [field.name, readByResponseKey(getNamedType(field.type).name === 'ID', type.name)]),
      );
    } else if (isAbstractType(type)) {
      resolvers[type.name] = {
        __resolveType: (value: Row) => value[`${INTERNAL_ALIAS_PREFIX}typename`] ?? value.__typename,
      };
    }
  }
  const executable = makeExecutableSchema({ typeDefs: printSchema(apiSchema), resolvers });
  const ruleTree = Object.fromEntries(
    Object.entries(POLICY).map(([typeName, fields]) => [typeName, Object.fromEntries(Object.entries(fields).map(([name, rule]) => [name, rule.shieldRule]))]),
  );
  const permissions = shield(ruleTree, {
    fallbackRule: denyAll,
    fallbackError: (_error, parent, _args, context, info) => {
      if (info.path.prev !== undefined && parent !== null && typeof parent === 'object') {
        (context as unknown as RedactionContext).recorder.denied(info.parentType.name, info.fieldName, parent as Record<string, unknown>);
      }
      return forbiddenError();
    },
    allowExternalErrors: false,
    debug: false,
  });
  return applyMiddleware(executable, permissions);
}
