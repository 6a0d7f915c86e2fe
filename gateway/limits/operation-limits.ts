import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * Validation rules that refuse operations too deep, too wide or too aliased to be a real
 * client's, before anything is planned or fetched (DESIGN.md "Bad input"). Fragments are
 * followed where they are spread, so a fragment cannot hide depth or width.
 */

export interface OperationLimits {
  /** Nesting of selections below the root. */
  readonly maxDepth: number;
  /** Field selections in the operation once fragments are expanded. */
  readonly maxFields: number;
  /** Aliased fields in the operation once fragments are expanded. */
  readonly maxAliases: number;
}

interface Measure {
  depth: number;
  fields: number;
  aliases: number;
}

function measure(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  depth: number,
  seen: ReadonlySet<string>,
  total: Measure,
): void {
  total.depth = Math.max(total.depth, depth);
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total.fields += 1;
      if (selection.alias) total.aliases += 1;
      if (selection.selectionSet) measure(selection.selectionSet, fragments, depth + 1, seen, total);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      measure(selection.selectionSet, fragments, depth, seen, total);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Unknown or cyclic spreads are other rules' business: stop rather than loop.
      if (fragment && !seen.has(fragment.name.value)) measure(fragment.selectionSet, fragments, depth, new Set([...seen, fragment.name.value]), total);
    }
  }
}

export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = new Map(
      context
        .getDocument()
        .definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
        .map((fragment) => [fragment.name.value, fragment]),
    );
    return {
      OperationDefinition(operation) {
        const total: Measure = { depth: 0, fields: 0, aliases: 0 };
        measure(operation.selectionSet, fragments, 1, new Set(), total);
        const report = (what: string, value: number, limit: number) =>
          context.reportError(new GraphQLError(`Operation ${what} ${value} exceeds the limit of ${limit}`, { nodes: [operation] }));
        if (total.depth > limits.maxDepth) report('depth', total.depth, limits.maxDepth);
        if (total.fields > limits.maxFields) report('field count', total.fields, limits.maxFields);
        if (total.aliases > limits.maxAliases) report('alias count', total.aliases, limits.maxAliases);
      },
    };
  };
}
