import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { composeSupergraph, SUBGRAPH_NAMES, subgraphSchemaPath, type SubgraphName } from '../../gateway/supergraph/compose.js';
import { INTERNAL_ALIAS_PREFIX } from '../../gateway/redaction/aliases.js';

/**
 * Schema-side helpers for the policy matrix (test/policy-matrix.test.ts): the API schema the
 * gateway serves, the coverage check that makes "a field without a rule" a test failure, the
 * generated queries, and what the gateway asked of each subgraph.
 */

/** The API schema, built exactly as @apollo/gateway builds it from the supergraph (join__/link__ machinery and @inaccessible removed). */
export function buildApiSchema(supergraphSdl: string = composeSupergraph()): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}

type FieldOwner = GraphQLObjectType | GraphQLInterfaceType;

/** Object and interface types of the API, introspection types excluded, sorted by name. */
function fieldOwners(schema: GraphQLSchema): FieldOwner[] {
  return Object.values(schema.getTypeMap())
    .filter((type): type is FieldOwner => !type.name.startsWith('__') && (isObjectType(type) || isInterfaceType(type)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function objectTypeNames(schema: GraphQLSchema): string[] {
  return fieldOwners(schema)
    .filter((type) => isObjectType(type))
    .map((type) => type.name);
}

export interface CoverageReport {
  /** `Type.field` of the schema with no rule: denied to everyone at run time, and a test failure here. */
  readonly fieldsWithoutRule: string[];
  /** `Type.field` the policy names that the schema does not have (a renamed or removed field). */
  readonly rulesWithoutField: string[];
  /** `Type.field(arg)` of type ID that ID_ARGUMENTS does not name: the gateway refuses any value for it. */
  readonly idArgumentsWithoutEntry: string[];
  /** ID_ARGUMENTS entries whose field or argument does not exist, is not an ID, or names a type the API does not have. */
  readonly invalidIdArgumentEntries: string[];
}

type PolicyShape = Readonly<Record<string, Readonly<Record<string, unknown>>>>;
type IdArgumentsShape = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Compares a policy and its ID-argument table with a schema, both ways. */
export function policyCoverage(schema: GraphQLSchema, policy: PolicyShape, idArguments: IdArgumentsShape): CoverageReport {
  const fieldsWithoutRule: string[] = [];
  const rulesWithoutField: string[] = [];
  const idArgumentsWithoutEntry: string[] = [];
  const invalidIdArgumentEntries: string[] = [];

  const owners = fieldOwners(schema);
  for (const type of owners) {
    for (const field of Object.values(type.getFields())) {
      if (!Object.hasOwn(policy[type.name] ?? {}, field.name)) fieldsWithoutRule.push(`${type.name}.${field.name}`);
      for (const arg of field.args) {
        if (getNamedType(arg.type).name === 'ID' && idArguments[`${type.name}.${field.name}`]?.[arg.name] === undefined) {
          idArgumentsWithoutEntry.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
  }
  for (const [typeName, rules] of Object.entries(policy)) {
    const type = schema.getType(typeName);
    const fields = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields() : {};
    for (const fieldName of Object.keys(rules)) {
      if (!Object.hasOwn(fields, fieldName)) rulesWithoutField.push(`${typeName}.${fieldName}`);
    }
  }
  for (const [coordinate, args] of Object.entries(idArguments)) {
    const [typeName = '', fieldName = ''] = coordinate.split('.');
    const type = schema.getType(typeName);
    const field: GraphQLField<unknown, unknown> | undefined = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[fieldName] : undefined;
    for (const [argName, entityType] of Object.entries(args)) {
      const arg = field?.args.find((candidate) => candidate.name === argName);
      const target = schema.getType(entityType);
      if (!arg || getNamedType(arg.type).name !== 'ID' || !target || !isObjectType(target)) {
        invalidIdArgumentEntries.push(`${coordinate}(${argName}: ${entityType})`);
      }
    }
  }
  return { fieldsWithoutRule, rulesWithoutField, idArgumentsWithoutEntry, invalidIdArgumentEntries };
}

// ---------------------------------------------------------------------------------------------
// Generated queries

/** One step of an entry path: a field name and, for root fields, its printed arguments. */
export interface Hop {
  readonly field: string;
  readonly args?: string;
}

/** The object type reached by following `hops` from `from` (the query root by default). */
export function typeAtEndOf(schema: GraphQLSchema, hops: readonly Hop[], from?: GraphQLObjectType): GraphQLObjectType {
  let type: GraphQLObjectType = from ?? (schema.getQueryType() as GraphQLObjectType);
  for (const hop of hops) {
    const field = type.getFields()[hop.field];
    if (!field) throw new Error(`${type.name} has no field ${hop.field}`);
    const next = getNamedType(field.type);
    if (!isObjectType(next)) throw new Error(`${type.name}.${hop.field} does not lead to an object type`);
    type = next;
  }
  return type;
}

/** Every field of `type`: leaves as they are, object-typed fields with `{ __typename }`. */
export function allFieldsSelection(type: GraphQLObjectType, argsFor: (fieldName: string) => string = () => ''): string {
  return Object.values(type.getFields())
    .map((field) => `${field.name}${argsFor(field.name)}${isCompositeType(getNamedType(field.type)) ? ' { __typename }' : ''}`)
    .join(' ');
}

/** `query PolicyMatrix { a(args) { b { <leaf> } } }`. */
export function nestedQuery(hops: readonly Hop[], leaf: string): string {
  let body = leaf;
  for (const hop of [...hops].reverse()) body = `${hop.field}${hop.args ?? ''} { ${body} }`;
  return `query PolicyMatrix { ${body} }`;
}

// ---------------------------------------------------------------------------------------------
// What the gateway asked of the subgraphs

let subgraphSchemaCache: Record<SubgraphName, GraphQLSchema> | undefined;

/** Each subgraph's own schema (with _entities), from the same schema.graphql files it serves. */
function subgraphSchemas(): Record<SubgraphName, GraphQLSchema> {
  subgraphSchemaCache ??= Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, buildSubgraphSchema({ typeDefs: parse(readFileSync(subgraphSchemaPath(name), 'utf8')) })]),
  ) as Record<SubgraphName, GraphQLSchema>;
  return subgraphSchemaCache;
}

/**
 * The `Type.field` coordinates an operation sent to a subgraph selects, typed against that
 * subgraph's schema. Selections under an internal `_ntk_` alias (data fetched only for rules,
 * never returned) are skipped with everything below them; `__typename` is not a field.
 */
function selectedCoordinates(subgraph: SubgraphName, query: string): Set<string> {
  const schema = subgraphSchemas()[subgraph];
  const typeInfo = new TypeInfo(schema);
  const coordinates = new Set<string>();
  visit(
    parse(query),
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        if (node.alias?.value.startsWith(INTERNAL_ALIAS_PREFIX)) return false;
        if (node.name.value.startsWith('__')) return undefined;
        const parent = typeInfo.getParentType();
        coordinates.add(`${parent?.name ?? '?'}.${node.name.value}`);
        return undefined;
      },
    }),
  );
  return coordinates;
}

/** All `Type.field` coordinates any subgraph was asked for, and by which subgraph. */
export function coordinatesSent(operations: readonly { subgraph: SubgraphName; query: string }[]): Map<string, Set<SubgraphName>> {
  const sent = new Map<string, Set<SubgraphName>>();
  for (const { subgraph, query } of operations) {
    for (const coordinate of selectedCoordinates(subgraph, query)) {
      const by = sent.get(coordinate) ?? new Set<SubgraphName>();
      by.add(subgraph);
      sent.set(coordinate, by);
    }
  }
  return sent;
}

export type ResponsePath = readonly (string | number)[];

export function pathKey(path: ResponsePath): string {
  return path.join('.');
}
