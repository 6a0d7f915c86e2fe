import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * The one walk over fragments that the operation rewrite, the operation limits and fragment
 * inlining share: a spread is replaced by the equivalent inline fragment, its directives
 * (@include, @skip) moved onto it, so every field is seen with all its ancestors. A walk made
 * before validation (the limits run beside the validation rules) may meet an unknown or cyclic
 * spread: it is skipped, never followed twice on one path, and left to the rules that report it.
 */

export type FragmentMap = ReadonlyMap<string, FragmentDefinitionNode>;

/** A selection once spreads are resolved, with the fragments already followed on its path. */
export interface ExpandedSelection {
  readonly node: FieldNode | InlineFragmentNode;
  readonly path: ReadonlySet<string>;
}

/** Picks the operation to run: the named one, or the only one. */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

/** The document's fragment definitions by name. */
export function fragmentsOf(document: DocumentNode): FragmentMap {
  return new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
}

/** The selections of a set, each spread replaced by its fragment as an inline fragment. */
export function expandSelections(set: SelectionSetNode, fragments: FragmentMap, path: ReadonlySet<string> = new Set()): ExpandedSelection[] {
  return set.selections.flatMap((selection): ExpandedSelection[] => {
    switch (selection.kind) {
      case Kind.FIELD:
      case Kind.INLINE_FRAGMENT:
        return [{ node: selection, path }];
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || path.has(fragment.name.value)) return [];
        const node: InlineFragmentNode = {
          kind: Kind.INLINE_FRAGMENT,
          typeCondition: fragment.typeCondition,
          directives: selection.directives ?? [],
          selectionSet: fragment.selectionSet,
        };
        return [{ node, path: new Set([...path, fragment.name.value]) }];
      }
    }
  });
}

/** The operation with every fragment spread, at any depth, replaced by an inline fragment. */
export function inlineFragments(document: DocumentNode, operation: OperationDefinitionNode): OperationDefinitionNode {
  const fragments = fragmentsOf(document);
  const inline = (set: SelectionSetNode, path: ReadonlySet<string>): SelectionSetNode => ({
    ...set,
    selections: expandSelections(set, fragments, path).map(({ node, path: below }) =>
      node.selectionSet ? { ...node, selectionSet: inline(node.selectionSet, below) } : node,
    ),
  });
  return { ...operation, selectionSet: inline(operation.selectionSet, new Set()) };
}
