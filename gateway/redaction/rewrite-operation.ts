import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from '../../shield/circles.js';
import type { Decision, Needs } from '../../shield/policy-rule.js';
import type { Role } from '../../shield/roles.js';
import { inlineFragments, selectOperation } from './inline-fragments.js';

/**
 * Rewrites a validated operation for one role before it is planned:
 * - fields the role can never see are removed, so no subgraph is ever asked for them;
 * - every other field is fetched under `_ntkc_<response key>`, out of the planner's way;
 * - data the remaining rules need is added under internal aliases;
 * - opaque ID arguments are turned back into raw ids, passed as variables so that the
 *   plan (cached by the rewritten text) is shared across ids and holds none of them.
 * The original operation is later run over the fetched result to produce the response,
 * so nothing added here is ever returned.
 */

export interface FieldPolicy {
  decide(typeName: string, fieldName: string, role: Role): Decision;
  needs(typeName: string, fieldName: string, role: Role): Needs;
  /** The entity type an ID argument's token must name, or undefined if it takes none. */
  idArgumentType(typeName: string, fieldName: string, argumentName: string): string | undefined;
  /** Selections added to every selection set of a type, whatever is asked (the audit's subject ids). */
  alwaysNeeds(typeName: string): string | undefined;
}

export type DecodeId = (typeName: string, token: string) => string | null;

export class RewriteError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'RewriteError';
    this.code = code;
  }
}

export interface RewrittenOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
}

const INVALID_ID = () => new RewriteError('BAD_USER_INPUT', 'Invalid id');
const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };
const INTERNAL_TYPENAME: FieldNode = { ...TYPENAME, alias: { kind: Kind.NAME, value: `${INTERNAL_ALIAS_PREFIX}typename` } };

const parsedNeeds = new Map<string, readonly SelectionNode[]>();
function needSelections(selection: string): readonly SelectionNode[] {
  let parsed = parsedNeeds.get(selection);
  if (!parsed) {
    const operation = parse(`{ ${selection} }`).definitions[0] as OperationDefinitionNode;
    parsed = operation.selectionSet.selections;
    parsedNeeds.set(selection, parsed);
  }
  return parsed;
}

interface Frame {
  readonly typeName: string;
  readonly needs: Set<string>;
}

export function rewriteOperation(input: {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | null | undefined;
  variables: Readonly<Record<string, unknown>>;
  role: Role;
  policy: FieldPolicy;
  decodeId: DecodeId;
}): RewrittenOperation {
  const { schema, policy, role, decodeId } = input;
  const selected = selectOperation(input.document, input.operationName);
  if (!selected) throw new RewriteError('BAD_USER_INPUT', 'Operation not found');
  const operation = inlineFragments(input.document, selected);
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new RewriteError('BAD_USER_INPUT', `This API has no ${operation.operation} operations`);

  const variables: Record<string, unknown> = { ...input.variables };
  const idVariables = new Map<string, string>();
  const addedDefinitions: VariableDefinitionNode[] = [];

  const rewriteArguments = (typeName: string, field: FieldNode, argumentTypes: ReadonlyMap<string, string>): readonly ArgumentNode[] | undefined =>
    field.arguments?.map((argument) => {
      const idType = policy.idArgumentType(typeName, field.name.value, argument.name.value);
      if (idType === undefined) {
        // An ID argument the policy does not name would let a raw id through: refused.
        if (argumentTypes.get(argument.name.value) === 'ID') throw INVALID_ID();
        return argument;
      }
      const { value } = argument;
      if (value.kind === Kind.VARIABLE) {
        const seen = idVariables.get(value.name.value);
        if (seen !== undefined && seen !== idType) throw INVALID_ID();
        idVariables.set(value.name.value, idType);
        return argument;
      }
      if (value.kind === Kind.NULL) return argument;
      if (value.kind !== Kind.STRING) throw INVALID_ID();
      const raw = decodeId(idType, value.value);
      if (raw === null) throw INVALID_ID();
      const name = `${INTERNAL_ALIAS_PREFIX}id${addedDefinitions.length}`;
      variables[name] = raw;
      addedDefinitions.push({
        kind: Kind.VARIABLE_DEFINITION,
        variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } },
        type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
      });
      return { ...argument, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } } };
    });

  const rewriteSet = (set: SelectionSetNode, parentType: GraphQLCompositeType, stack: readonly Frame[]): SelectionSetNode => {
    const frame: Frame = { typeName: parentType.name, needs: new Set() };
    const always = policy.alwaysNeeds(parentType.name);
    if (always !== undefined) frame.needs.add(always);
    const frames = [frame, ...stack];
    const selections: SelectionNode[] = [];
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const conditionType = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parentType;
        if (!conditionType || !isCompositeType(conditionType)) throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown type condition');
        selections.push({ ...selection, selectionSet: rewriteSet(selection.selectionSet, conditionType, frames) });
        continue;
      }
      if (selection.kind !== Kind.FIELD) continue;
      if (selection.alias?.value.startsWith(INTERNAL_ALIAS_PREFIX) || selection.name.value.startsWith(INTERNAL_ALIAS_PREFIX)) {
        throw new RewriteError('BAD_USER_INPUT', `Aliases starting with "${INTERNAL_ALIAS_PREFIX}" are reserved`);
      }
      const fieldName = selection.name.value;
      const fetchedAs = { kind: Kind.NAME, value: `${CLIENT_KEY_PREFIX}${selection.alias?.value ?? fieldName}` } as const;
      if (fieldName.startsWith('__')) {
        selections.push({ ...selection, alias: fetchedAs });
        continue;
      }
      const decision = isObjectType(parentType) || isInterfaceType(parentType) ? policy.decide(parentType.name, fieldName, role) : 'deny';
      if (decision === 'deny') continue;
      if (decision === 'check') {
        for (const [typeName, needed] of Object.entries(policy.needs(parentType.name, fieldName, role))) {
          frames.find((candidate) => candidate.typeName === typeName)?.needs.add(needed);
        }
      }
      const field = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[fieldName] : undefined;
      if (!field) throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown field');
      const returnType = getNamedType(field.type);
      const argumentTypes = new Map(field.args.map((arg) => [arg.name, getNamedType(arg.type).name]));
      const args = rewriteArguments(parentType.name, selection, argumentTypes);
      selections.push({
        ...selection,
        alias: fetchedAs,
        ...(args ? { arguments: args } : {}),
        ...(selection.selectionSet && isCompositeType(returnType) ? { selectionSet: rewriteSet(selection.selectionSet, returnType, frames) } : {}),
      });
    }
    for (const needed of frame.needs) selections.push(...needSelections(needed));
    // The re-execution resolves abstract types from the fetched __typename.
    if (isAbstractType(parentType)) selections.push(INTERNAL_TYPENAME);
    if (selections.length === 0) selections.push(TYPENAME);
    return { ...set, selections };
  };

  const selectionSet = rewriteSet(operation.selectionSet, rootType, []);

  for (const [name, typeName] of idVariables) {
    const value = variables[name];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'string') throw INVALID_ID();
    const raw = decodeId(typeName, value);
    if (raw === null) throw INVALID_ID();
    variables[name] = raw;
  }

  const rewritten: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [...(operation.variableDefinitions ?? []), ...addedDefinitions],
    selectionSet,
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [rewritten] }, operation: rewritten, variables };
}
