import { GraphQLError, Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext, type ValidationRule } from 'graphql';
import { expandSelections, fragmentsOf, type FragmentMap } from '../redaction/inline-fragments.js';

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

/** Depth, fields and aliases of a selection set, fragments followed where they are spread (inline-fragments.ts). */
function measure(set: SelectionSetNode, fragments: FragmentMap, depth: number, path: ReadonlySet<string>, total: Measure): void {
  total.depth = Math.max(total.depth, depth);
  for (const { node, path: below } of expandSelections(set, fragments, path)) {
    if (node.kind === Kind.FIELD) {
      total.fields += 1;
      if (node.alias) total.aliases += 1;
      if (node.selectionSet) measure(node.selectionSet, fragments, depth + 1, below, total);
    } else {
      measure(node.selectionSet, fragments, depth, below, total);
    }
  }
}

export function operationLimitsRule(limits: OperationLimits): ValidationRule {
  return (context: ValidationContext): ASTVisitor => {
    const fragments = fragmentsOf(context.getDocument());
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
