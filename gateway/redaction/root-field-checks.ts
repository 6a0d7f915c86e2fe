import {
  getArgumentValues,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { CONDITIONS, type ClientFacts, type Facts } from '../../shield/conditions.js';
import { CLIENT_KEY_PREFIX } from './aliases.js';
import { conditionsOf, grantHolds } from '../../shield/policy-rule.js';
import type { RootRule } from '../../shield/policy.js';
import type { PolicyContext } from '../../shield/policy-context.js';
import { rootRuleFor } from '../../shield/rules.js';
import type { Principal } from '../../shield/roles.js';
import type { SubjectFactsSource } from './subject-facts.js';

/**
 * The checks made on every query and change before anything is forwarded: the role must be
 * named for the root field, and where the policy puts a condition on it (a change about a
 * client by the client's own care team; a person reading their own record), the condition is
 * checked on the subject the arguments name, with facts fetched for it. Writes obey the same
 * circles as reads (docs/INVARIANTS.md#10), whichever subgraph stores them.
 */

export interface RefusedRootField {
  /** `Query.field` or `Mutation.field`. */
  readonly coordinate: string;
  /** The raw id of the client the field was about, where it is known. */
  readonly subject?: string | undefined;
}

export interface RootFieldOutcome {
  /** Refused root fields by response key: they are removed before planning and answer FORBIDDEN. */
  readonly refused: ReadonlyMap<string, RefusedRootField>;
}

type RootKind = 'Query' | 'Mutation';

function rootFieldNodes(set: SelectionSetNode): FieldNode[] {
  return set.selections.flatMap((selection: SelectionNode) => {
    if (selection.kind === Kind.FIELD) return selection.name.value.startsWith('__') ? [] : [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldNodes(selection.selectionSet);
    return [];
  });
}

/** A direct subject argument's value as the client sent it, decoded, for naming a refused field's subject. */
function sentSubject(
  field: FieldNode,
  rule: RootRule | undefined,
  variables: Readonly<Record<string, unknown>>,
  decodeClientId: (token: string) => string | null,
): string | undefined {
  const locator = rule?.subject;
  if (locator === undefined || locator.kind !== 'client' || locator.through !== undefined) return undefined;
  const value = field.arguments?.find((argument) => argument.name.value === locator.argument)?.value;
  const token = value?.kind === Kind.STRING ? value.value : value?.kind === Kind.VARIABLE ? variables[value.name.value] : undefined;
  return typeof token === 'string' ? (decodeClientId(token) ?? undefined) : undefined;
}

export async function checkRootFields(input: {
  kind: RootKind;
  rootType: GraphQLObjectType;
  /** The operation as the client sent it, fragments inlined. */
  original: OperationDefinitionNode;
  originalVariables: Readonly<Record<string, unknown>>;
  /** The operation rewritten for the role, ids decoded into `variables`. */
  rewritten: OperationDefinitionNode;
  variables: Readonly<Record<string, unknown>>;
  principal: Principal;
  requestId: string;
  now: Date;
  facts: SubjectFactsSource;
  decodeClientId: (token: string) => string | null;
}): Promise<RootFieldOutcome> {
  const { kind, principal } = input;
  const refused = new Map<string, RefusedRootField>();
  const context: PolicyContext = { principal, now: input.now };

  // Fields the role is not named for were removed by the rewrite; they are refusals all the same.
  for (const field of rootFieldNodes(input.original.selectionSet)) {
    const rule = rootRuleFor(kind, field.name.value);
    if (rule?.access[principal.role] !== undefined) continue;
    refused.set(field.alias?.value ?? field.name.value, {
      coordinate: `${kind}.${field.name.value}`,
      subject: sentSubject(field, rule, input.originalVariables, input.decodeClientId),
    });
  }

  const checks = rootFieldNodes(input.rewritten.selectionSet).map(async (field) => {
    const rule = rootRuleFor(kind, field.name.value);
    const grant = rule?.access[principal.role];
    if (rule === undefined || grant === undefined || grant === 'always') return;
    const key = (field.alias?.value ?? field.name.value).slice(CLIENT_KEY_PREFIX.length);
    const coordinate = `${kind}.${field.name.value}`;
    const definition = input.rootType.getFields()[field.name.value];
    const locator = rule.subject;
    if (definition === undefined || locator === undefined) {
      refused.set(key, { coordinate });
      return;
    }
    const args = getArgumentValues(definition, field, input.variables);
    const named = args[locator.argument];
    if (typeof named !== 'string') {
      refused.set(key, { coordinate });
      return;
    }
    let facts: Facts;
    let subject: string | undefined;
    if (locator.kind === 'team') {
      facts = { teamAskedFor: named };
    } else {
      subject = locator.through ? await input.facts.subjectOf(principal, input.requestId, locator.through.type, locator.through.field, named) : named;
      const needsCircle = conditionsOf(grant).some((name) => CONDITIONS[name].reads.some((read) => read !== 'subject'));
      let client: ClientFacts | undefined;
      if (subject !== undefined)
        client = needsCircle ? await input.facts.clientFacts(principal, input.requestId, subject) : { id: subject, keyworkerIds: [], teamId: undefined };
      facts = { client };
    }
    if (!grantHolds(rule.access, () => facts, context)) refused.set(key, { coordinate, subject });
  });
  await Promise.all(checks);
  return { refused };
}

/** The operation without the refused root fields (by response key), so they are never planned. */
export function withoutRefused(operation: OperationDefinitionNode, refused: ReadonlyMap<string, RefusedRootField>): OperationDefinitionNode {
  if (refused.size === 0) return operation;
  const strip = (set: SelectionSetNode): SelectionSetNode => {
    const selections = set.selections.flatMap((selection): SelectionNode[] => {
      if (selection.kind === Kind.FIELD) {
        const alias = selection.alias?.value;
        const key = alias?.startsWith(CLIENT_KEY_PREFIX) ? alias.slice(CLIENT_KEY_PREFIX.length) : undefined;
        return key !== undefined && refused.has(key) ? [] : [selection];
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return [{ ...selection, selectionSet: strip(selection.selectionSet) }];
      return [selection];
    });
    return { ...set, selections: selections.length > 0 ? selections : [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }] };
  };
  return { ...operation, selectionSet: strip(operation.selectionSet) };
}

/** Whether the operation still asks a subgraph for anything once refused fields are gone. */
export function asksForAnything(operation: OperationDefinitionNode): boolean {
  return rootFieldNodes(operation.selectionSet).length > 0;
}
