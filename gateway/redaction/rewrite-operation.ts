import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Decision } from '../../shield/policy-rule.js';
import type { Role } from '../../shield/roles.js';
import { CLIENT_KEY_PREFIX, INTERNAL_ALIAS_PREFIX } from './aliases.js';
import { decodeIdValues, type DecodeId } from './decode-id-values.js';
import { inlineFragments, selectOperation } from './inline-fragments.js';
import { RewriteError } from './rewrite-error.js';

export { RewriteError } from './rewrite-error.js';
export type { DecodeId } from './decode-id-values.js';

/**
 * Rewrites a validated operation for one role before it is planned:
 * - fields the role can never see are removed, so no subgraph is ever asked for them;
 * - every other field is fetched under `_ntkc_<response key>`, out of the planner's way;
 * - data the remaining rules need is added under internal aliases;
 * - every ID value, wherever it was written, is turned back into a raw id by the one decoder
 *   (decode-id-values.ts) and passed as a variable, so that the plan (cached by the rewritten
 *   text) is shared across ids and holds none of them.
 * The original operation is later run over the fetched result to produce the response,
 * so nothing added here is ever returned.
 */

/** Selections a rule needs, keyed by the type whose selection set they are added to. */
export type Needs = Readonly<Record<string, string>>;

export interface FieldPolicy {
  decide(typeName: string, fieldName: string, role: Role): Decision;
  needs(typeName: string, fieldName: string, role: Role): Needs;
  /**
   * The entity type a token at an ID position must name, or undefined: the position is refused.
   * `owner` is `Type.field` for a field's argument or `@name` for a directive's; `argumentPath`
   * the argument's name, then the input-object fields down to the value, dot-separated
   * (`input.clientId`); a list's items share the list's path.
   */
  idArgumentType(owner: string, argumentPath: string): string | undefined;
  /** Selections added to every selection set of a type, whatever is asked (the audit's subject ids). */
  alwaysNeeds(typeName: string): string | undefined;
}

export interface RewrittenOperation {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly variables: Record<string, unknown>;
}

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

/** A selection set being rewritten: its type, and the facts its rules need fetched beside it. */
interface Frame {
  readonly typeName: string;
  readonly needs: Set<string>;
}

/** What every step of one rewrite reads: the schema, the policy and the caller's role. */
interface RewriteState {
  readonly schema: GraphQLSchema;
  readonly policy: FieldPolicy;
  readonly role: Role;
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
  const decoded = decodeIdValues({
    schema,
    operation: inlineFragments(input.document, selected),
    variables: input.variables,
    idPositionType: (owner, argumentPath) => policy.idArgumentType(owner, argumentPath),
    decodeId,
  });
  const { operation, variables } = decoded;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) throw new RewriteError('BAD_USER_INPUT', `This API has no ${operation.operation} operations`);
  const rewritten: OperationDefinitionNode = {
    ...operation,
    selectionSet: rewriteSelectionSet({ schema, policy, role }, operation.selectionSet, rootType, []),
  };
  return { document: { kind: Kind.DOCUMENT, definitions: [rewritten] }, operation: rewritten, variables };
}

/** One selection set for the role: each selection rewritten, then the facts its rules need and the typename re-execution needs. */
function rewriteSelectionSet(state: RewriteState, set: SelectionSetNode, parentType: GraphQLCompositeType, ancestors: readonly Frame[]): SelectionSetNode {
  const frame: Frame = { typeName: parentType.name, needs: new Set() };
  const always = state.policy.alwaysNeeds(parentType.name);
  if (always !== undefined) frame.needs.add(always);
  const frames = [frame, ...ancestors];
  const selections = set.selections.flatMap((selection) => rewriteSelection(state, selection, parentType, frames));
  for (const needed of frame.needs) selections.push(...needSelections(needed));
  // The re-execution resolves abstract types from the fetched __typename.
  if (isAbstractType(parentType)) selections.push(INTERNAL_TYPENAME);
  if (selections.length === 0) selections.push(TYPENAME);
  return { ...set, selections };
}

/** One selection: kept under its fetch alias, dropped (never fetched) if the role may never see it, or refused if it is malformed. */
function rewriteSelection(state: RewriteState, selection: SelectionNode, parentType: GraphQLCompositeType, frames: readonly Frame[]): SelectionNode[] {
  switch (selection.kind) {
    case Kind.INLINE_FRAGMENT: {
      const conditionType = selection.typeCondition ? state.schema.getType(selection.typeCondition.name.value) : parentType;
      if (!conditionType || !isCompositeType(conditionType)) throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown type condition');
      return [{ ...selection, selectionSet: rewriteSelectionSet(state, selection.selectionSet, conditionType, frames) }];
    }
    case Kind.FIELD:
      return rewriteField(state, selection, parentType, frames);
    case Kind.FRAGMENT_SPREAD:
      // Fragments were inlined before the rewrite (inline-fragments.ts): a spread here is not ours to trust.
      return [];
  }
}

/** A field: refused if it uses the internal alias prefix; dropped if denied; its rule's needs added to the frame of the type they are about. */
function rewriteField(state: RewriteState, selection: FieldNode, parentType: GraphQLCompositeType, frames: readonly Frame[]): SelectionNode[] {
  // A client alias in our internal namespace could make its own field pass for a fact the rules read.
  if (selection.alias?.value.startsWith(INTERNAL_ALIAS_PREFIX) || selection.name.value.startsWith(INTERNAL_ALIAS_PREFIX)) {
    throw new RewriteError('BAD_USER_INPUT', `Aliases starting with "${INTERNAL_ALIAS_PREFIX}" are reserved`);
  }
  const fieldName = selection.name.value;
  const fetchedAs = { kind: Kind.NAME, value: `${CLIENT_KEY_PREFIX}${selection.alias?.value ?? fieldName}` } as const;
  if (fieldName.startsWith('__')) return [{ ...selection, alias: fetchedAs }];
  const fieldsOf = isObjectType(parentType) || isInterfaceType(parentType) ? parentType : undefined;
  const decision = fieldsOf ? state.policy.decide(parentType.name, fieldName, state.role) : 'deny';
  if (decision === 'deny') return [];
  if (decision === 'check') {
    for (const [typeName, needed] of Object.entries(state.policy.needs(parentType.name, fieldName, state.role))) {
      frames.find((candidate) => candidate.typeName === typeName)?.needs.add(needed);
    }
  }
  const field = fieldsOf?.getFields()[fieldName];
  if (!field) throw new RewriteError('GRAPHQL_VALIDATION_FAILED', 'Unknown field');
  const returnType = getNamedType(field.type);
  return [
    {
      ...selection,
      alias: fetchedAs,
      ...(selection.selectionSet && isCompositeType(returnType)
        ? { selectionSet: rewriteSelectionSet(state, selection.selectionSet, returnType, frames) }
        : {}),
    },
  ];
}
