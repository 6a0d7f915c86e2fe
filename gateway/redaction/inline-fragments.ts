import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * Picks the operation to run and replaces every fragment spread with the equivalent inline
 * fragment, so that one walk of one tree sees every field with all its ancestors. Spreads'
 * directives (@include, @skip) move onto the inline fragment; validation has already ruled
 * out unknown and cyclic fragments.
 */
export function selectOperation(document: DocumentNode, operationName: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (operationName) return operations.find((operation) => operation.name?.value === operationName);
  return operations.length === 1 ? operations[0] : undefined;
}

export function inlineFragments(document: DocumentNode, operation: OperationDefinitionNode): OperationDefinitionNode {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const inline = (set: SelectionSetNode): SelectionSetNode => ({
    ...set,
    selections: set.selections.map((selection) => {
      switch (selection.kind) {
        case Kind.FIELD:
          return selection.selectionSet ? { ...selection, selectionSet: inline(selection.selectionSet) } : selection;
        case Kind.INLINE_FRAGMENT:
          return { ...selection, selectionSet: inline(selection.selectionSet) };
        case Kind.FRAGMENT_SPREAD: {
          const fragment = fragments.get(selection.name.value);
          if (!fragment) throw new Error(`unknown fragment ${selection.name.value}`);
          return {
            kind: Kind.INLINE_FRAGMENT,
            typeCondition: fragment.typeCondition,
            directives: selection.directives ?? [],
            selectionSet: inline(fragment.selectionSet),
          };
        }
      }
    }),
  });
  return { ...operation, selectionSet: inline(operation.selectionSet) };
}
