import { isDeepStrictEqual } from 'node:util';
import {
  getNamedType,
  getVariableValues,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type ASTVisitor,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type TypeNode,
  type ValueNode,
  type VariableDefinitionNode,
  type VariableNode,
} from 'graphql';
import { INTERNAL_ALIAS_PREFIX } from './aliases.js';
import { invalidId, RewriteError } from './rewrite-error.js';

/**
 * The one door every ID value passes on its way into an operation (docs/INVARIANTS.md#11).
 *
 * Clients hold opaque per-audience tokens; subgraphs take raw ids. Wherever a client can put
 * a value — a variable's supplied value or its default, a literal, a list item, an input
 * object's field, a directive's argument — a value whose type is `ID` is decoded here, by the
 * entity type the policy names for that position, or the whole operation is refused with one
 * answer. The threat: a raw id that reaches a subgraph lets any role read by raw id (walk the
 * staff directory, pair a restricted client with a staff member of the same name) and tell an
 * existing id from a missing one.
 *
 * What the planner gets holds no client-written ID at all: literals become variables, every
 * variable is sent with an explicit decoded value (defaults applied here, as graphql-js would)
 * and variable definitions lose their defaults, so nothing undecoded can be planned in.
 */

/** The entity type a token at a position must name, or undefined: not an ID position the policy knows. */
export type IdPositionType = (owner: string, argumentPath: string) => string | undefined;
/** The raw id behind a token of an entity type for the caller's audience, or null. */
export type DecodeId = (typeName: string, token: string) => string | null;

export interface DecodedOperation {
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
}

/**
 * Where a value sits: `owner` is `Type.field` for a field's argument or `@name` for a
 * directive's, `path` the argument then the input-object fields down to the value. A list's
 * items share the list's path.
 */
interface Position {
  readonly owner: string;
  readonly path: readonly string[];
}

const ID_VARIABLE_PREFIX = `${INTERNAL_ALIAS_PREFIX}id`;
/** A variable defined nowhere in the operation: any ID inside it is refused. */
const NOWHERE: Position = { owner: '', path: [] };

function isId(type: GraphQLNamedType): boolean {
  return isScalarType(type) && type.name === 'ID';
}

/**
 * Whether a supplied variable value holds a non-string where an ID goes. Checked before
 * coercion, which would quietly turn a number into a string or refuse an object in words of
 * its own: a non-string gets the same answer as any other bad id.
 */
function holdsNonStringId(value: unknown, type: GraphQLInputType): boolean {
  if (value === null || value === undefined) return false;
  if (isNonNullType(type)) return holdsNonStringId(value, type.ofType);
  if (isListType(type)) {
    return Array.isArray(value) ? value.some((item) => holdsNonStringId(item, type.ofType)) : holdsNonStringId(value, type.ofType);
  }
  if (isInputObjectType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) return false;
    const fields = type.getFields();
    return Object.entries(value).some(([key, inner]) => Object.hasOwn(fields, key) && holdsNonStringId(inner, fields[key]!.type));
  }
  return isId(type) && typeof value !== 'string';
}

function variableNode(name: string): VariableNode {
  return { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } };
}

function withoutDefault(definition: VariableDefinitionNode): VariableDefinitionNode {
  const { defaultValue: _dropped, ...rest } = definition;
  return rest;
}

export function decodeIdValues(input: {
  schema: GraphQLSchema;
  /** One operation, fragments already inlined, validated against `schema`. */
  operation: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
  idPositionType: IdPositionType;
  decodeId: DecodeId;
}): DecodedOperation {
  const { schema, operation, idPositionType, decodeId } = input;
  const definitions = operation.variableDefinitions ?? [];

  const entityTypeAt = (position: Position): string => {
    const entity = idPositionType(position.owner, position.path.join('.'));
    // An ID position the policy does not name would let a raw id through: refused.
    if (typeof entity !== 'string') throw invalidId();
    return entity;
  };
  const decodeToken = (position: Position, token: unknown): string => {
    const entity = entityTypeAt(position);
    if (typeof token !== 'string') throw invalidId();
    const raw = decodeId(entity, token);
    if (raw === null) throw invalidId();
    return raw;
  };
  const decodeValue = (value: unknown, type: GraphQLInputType, position: Position): unknown => {
    if (value === null || value === undefined) return value;
    if (isNonNullType(type)) return decodeValue(value, type.ofType, position);
    if (isListType(type)) {
      return Array.isArray(value) ? value.map((item) => decodeValue(item, type.ofType, position)) : decodeValue(value, type.ofType, position);
    }
    if (isInputObjectType(type)) {
      const fields = type.getFields();
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
          const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
          return [key, field ? decodeValue(inner, field.type, { owner: position.owner, path: [...position.path, key] }) : inner];
        }),
      );
    }
    return isId(type) ? decodeToken(position, value) : value;
  };

  // Variables: supplied values and defaults, coerced as graphql-js executes them.
  const variableTypes = new Map<string, GraphQLInputType>();
  for (const definition of definitions) {
    const name = definition.variable.name.value;
    if (name.startsWith(INTERNAL_ALIAS_PREFIX)) {
      throw new RewriteError('BAD_USER_INPUT', `Variable names starting with "${INTERNAL_ALIAS_PREFIX}" are reserved`);
    }
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type)) throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown variable type');
    variableTypes.set(name, type);
    if (holdsNonStringId(input.variables[name], type)) throw invalidId();
  }
  const coercion = getVariableValues(schema, definitions, input.variables);
  if (coercion.errors) throw new RewriteError('BAD_USER_INPUT', coercion.errors[0]?.message ?? 'Invalid variables');

  // Every argument of every field and directive, through lists and input objects.
  const typeInfo = new TypeInfo(schema);
  let owner: string | undefined;
  const path: string[] = [];
  const uses = new Map<string, Position[]>();
  const idVariableEntity = new Map<string, string>();
  const added: VariableDefinitionNode[] = [];
  const variables: Record<string, unknown> = {};

  const literal = (node: ValueNode): ValueNode | undefined => {
    if (owner === undefined) return undefined;
    const type = typeInfo.getInputType();
    if (!type || !isId(getNamedType(type))) return undefined;
    const position: Position = { owner, path: [...path] };
    if (node.kind === Kind.NULL) {
      entityTypeAt(position);
      return undefined;
    }
    if (node.kind !== Kind.STRING) throw invalidId();
    const raw = decodeToken(position, node.value);
    // Moved into a variable, so the plan (cached by the rewritten text) holds no id.
    const name = `${ID_VARIABLE_PREFIX}${added.length}`;
    const id: TypeNode = { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } };
    // One id written where a list of ids goes is a list of one (GraphQL input coercion): declared as such.
    const standsForList = isListType(isNonNullType(type) ? type.ofType : type);
    variables[name] = standsForList ? [raw] : raw;
    added.push({
      kind: Kind.VARIABLE_DEFINITION,
      variable: variableNode(name),
      type: standsForList ? { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.LIST_TYPE, type: id } } : id,
    });
    return variableNode(name);
  };
  // Replaced on leave, so the variable put in a literal's place is not visited as a client's.
  const onLeave = { leave: literal };

  const visitor: ASTVisitor = {
    // A default is applied above and never planned: every variable is sent explicitly.
    VariableDefinition: {
      enter: (node) => {
        if (!node.defaultValue) return undefined;
        const value = coercion.coerced[node.variable.name.value];
        // Only its default let a nullable variable stand where a value is required; without it,
        // the value it now always carries is declared non-null so the operation stays valid.
        if (node.type.kind === Kind.NON_NULL_TYPE || value === null || value === undefined) return withoutDefault(node);
        return { ...withoutDefault(node), type: { kind: Kind.NON_NULL_TYPE, type: node.type } };
      },
    },
    Argument: {
      enter: (node) => {
        const directive = typeInfo.getDirective();
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        if (directive) owner = `@${directive.name}`;
        else if (parent && field) owner = `${parent.name}.${field.name}`;
        else throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown argument');
        path.push(node.name.value);
      },
      leave: () => {
        path.pop();
        owner = undefined;
      },
    },
    ObjectField: {
      enter: (node) => {
        path.push(node.name.value);
      },
      leave: () => {
        path.pop();
      },
    },
    Variable: {
      enter: (node) => {
        // Outside an argument this is a definition's own name, not a use.
        if (owner === undefined) return;
        const name = node.name.value;
        const position: Position = { owner, path: [...path] };
        const type = typeInfo.getInputType();
        // A nullable variable with a default, given null where a value is required (graphql-js
        // would fail the field): with the default gone the planner would reject the operation.
        if (type && isNonNullType(type) && !isNonNullType(variableTypes.get(name)) && coercion.coerced[name] === null) {
          throw new RewriteError('BAD_USER_INPUT', `Variable "$${name}" is null where a value is required`);
        }
        if (type && isId(getNamedType(type))) {
          // One value cannot be a token of two entity types: used as both, it is refused.
          const entity = entityTypeAt(position);
          const seen = idVariableEntity.get(name);
          if (seen !== undefined && seen !== entity) throw invalidId();
          idVariableEntity.set(name, entity);
        }
        const list = uses.get(name);
        if (list) list.push(position);
        else uses.set(name, [position]);
      },
    },
    StringValue: onLeave,
    IntValue: onLeave,
    FloatValue: onLeave,
    BooleanValue: onLeave,
    EnumValue: onLeave,
    NullValue: onLeave,
  };
  const rewritten = visit(operation, visitWithTypeInfo(typeInfo, visitor));

  for (const [name, type] of variableTypes) {
    if (!Object.hasOwn(coercion.coerced, name)) continue;
    const value = coercion.coerced[name];
    const positions = uses.get(name) ?? [NOWHERE];
    let decoded: unknown;
    positions.forEach((position, index) => {
      const here = decodeValue(value, type, position);
      // Used at several positions, a variable must mean the same raw value at each.
      if (index > 0 && !isDeepStrictEqual(here, decoded)) throw invalidId();
      decoded = here;
    });
    variables[name] = decoded;
  }

  return {
    operation: { ...rewritten, variableDefinitions: [...(rewritten.variableDefinitions ?? []), ...added] },
    variables,
  };
}
