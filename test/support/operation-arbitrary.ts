import fc from 'fast-check';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  isCompositeType,
  isObjectType,
  parse,
  validate,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { composeSupergraph } from '../../gateway/supergraph/compose.js';

/**
 * Random valid operations over the gateway's API schema, for property-based tests.
 *
 * An operation is generated as a tree (so fast-check can shrink it), then normalised so that
 * it is always valid — response keys unique per selection set, every fragment used, every
 * variable declared — and rendered to text with its variables. ID arguments are left as
 * *slots* (the type the argument names plus a random choice); the caller resolves a slot to
 * an actual value (an opaque id for the caller's audience, another audience's, a forged one,
 * a raw id, …) when the operation is rendered for a principal. Rendering asserts `validate()`
 * against the API schema, so an invalid operation is never sent.
 */

/** The API schema clients see: the composed supergraph minus federation's join__/link__ machinery. */
export function buildApiSchema(): GraphQLSchema {
  return Supergraph.build(composeSupergraph()).apiSchema().toGraphQLJSSchema();
}

export interface IdSlot {
  /** The entity type the argument's id must name (from `ID_ARGUMENTS`). */
  readonly typeName: string;
  /** A random choice; the resolver reduces it to one of its candidates. */
  readonly choice: number;
}

type ArgValue =
  | { readonly kind: 'id'; readonly slot: IdSlot; readonly asVariable: boolean }
  | { readonly kind: 'literal'; readonly text: string };

interface Directive {
  readonly name: 'include' | 'skip';
  /** A Boolean! variable `$b<n>`, or a literal. */
  readonly condition: { readonly variable: number } | { readonly literal: boolean };
}

export type Selection =
  | {
      readonly kind: 'field';
      readonly name: string;
      readonly alias: string | undefined;
      readonly args: readonly { readonly name: string; readonly value: ArgValue }[];
      readonly directives: readonly Directive[];
      readonly selections: readonly Selection[] | undefined;
    }
  | {
      readonly kind: 'inline' | 'named';
      /** Whether an inline fragment names its type condition (a named one always does). */
      readonly typeCondition: boolean;
      readonly directives: readonly Directive[];
      readonly selections: readonly Selection[];
    };

export interface OperationTree {
  readonly selections: readonly Selection[];
  /** Values for `$b0`…`$b3`, whichever end up used. */
  readonly booleans: readonly boolean[];
}

export interface RenderedOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export interface OperationArbitraryOptions {
  readonly schema: GraphQLSchema;
  /** `Type.field` → argument name → the entity type its opaque id names (the policy's ID_ARGUMENTS). */
  readonly idArguments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Deepest level a field may sit at; the root field is level 1. */
  readonly maxDepth?: number;
  /** Relative weight of each root field (default 1). */
  readonly rootWeights?: Readonly<Record<string, number>>;
  /** Most selections generated per selection set (before de-duplication). */
  readonly maxWidth?: number;
  /** Aliases never to generate (to explore past a known failure). */
  readonly excludeAliases?: readonly string[];
}

const BOOLEAN_VARIABLES = 4;
/**
 * Aliases besides the type's own field names (so `name: dateOfBirth` and friends turn up);
 * `id` and `__typename` are what a query planner adds for its own entity fetches.
 */
const EXTRA_ALIASES = ['a', 'b', 'x1', 'id', 'name', 'value', 'data', 'secret', 'node', '__typename'];

export function operationTreeArbitrary(options: OperationArbitraryOptions): fc.Arbitrary<OperationTree> {
  const { schema, idArguments } = options;
  const maxDepth = options.maxDepth ?? 4;
  const maxWidth = options.maxWidth ?? 6;
  const queryType = schema.getQueryType();
  if (!queryType) throw new Error('the API schema has no Query type');

  const noDirectives: Directive[] = [];
  const directiveArb: fc.Arbitrary<Directive[]> = fc.oneof(
    { weight: 6, arbitrary: fc.constant(noDirectives) },
    {
      weight: 3,
      arbitrary: fc
        .record({
          name: fc.constantFrom('include' as const, 'skip' as const),
          condition: fc.oneof(
            { weight: 4, arbitrary: fc.nat({ max: BOOLEAN_VARIABLES - 1 }).map((variable) => ({ variable })) },
            { weight: 1, arbitrary: fc.boolean().map((literal) => ({ literal })) },
          ),
        })
        .map((directive): Directive[] => [directive]),
    },
  );

  type Arg = { readonly name: string; readonly value: ArgValue };
  /** Values for arguments that are neither ids nor plain numbers and booleans. */
  const LITERALS: Readonly<Record<string, readonly string[]>> = {
    'Query.emergencyLookup.name': ['"Sam Okafor"', '"Jordan Ellery"', '"Nobody Known"'],
    'Query.emergencyLookup.dateOfBirth': ['"1999-03-14"', '"1943-05-16"', '"1970-01-01"'],
    'Query.emergencyLookup.caller': ['{ organisation: "Northshire General A&E", name: "Dr A. Example", reason: "Emergency" }'],
    'Query.caseloadReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.consentActivityReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.exceptionalDisclosureReport.period': ['"2026-Q4"'],
    'Query.caseloadReport.rows': ['SERVICE', 'GENDER'],
    'Query.caseloadReport.columns': ['AGE_BAND', 'OUTCOME', 'TEAM'],
    'Query.referralsAndClosuresReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.referralsAndClosuresReport.rows': ['SERVICE', 'TEAM'],
  };
  const argumentArb = (parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): fc.Arbitrary<Arg[]> => {
    const idTypes = idArguments[`${parent.name}.${field.name}`] ?? {};
    const parts: fc.Arbitrary<Arg[]>[] = field.args.map((arg) => {
      const idType = idTypes[arg.name];
      if (idType !== undefined) {
        return fc
          .record({ choice: fc.nat({ max: 1_000 }), asVariable: fc.boolean() })
          .map(({ choice, asVariable }): Arg[] => [{ name: arg.name, value: { kind: 'id', slot: { typeName: idType, choice }, asVariable } }]);
      }
      const typeName = getNamedType(arg.type).name;
      const literals =
        LITERALS[`${parent.name}.${field.name}.${arg.name}`] ??
        (typeName === 'Boolean' ? ['true', 'false'] : typeName === 'Int' ? (arg.name === 'limit' ? ['1', '5', '100'] : ['0', '3', '50']) : []);
      if (literals.length === 0) throw new Error(`no generator for argument ${parent.name}.${field.name}(${arg.name})`);
      const value = fc.constantFrom(...literals).map((text): Arg[] => [{ name: arg.name, value: { kind: 'literal', text } }]);
      // An argument with a default may be left out.
      return arg.defaultValue === undefined ? value : fc.oneof(fc.constant<Arg[]>([]), value);
    });
    return parts.length === 0 ? fc.constant<Arg[]>([]) : fc.tuple(...parts).map((lists) => lists.flat());
  };

  /** Undefined two times in three, so most fields keep their own name. */
  const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

  const memo = new Map<string, fc.Arbitrary<Selection[]>>();

  /** Selections on `type` for fields at level `depth`, inside `fragmentDepth` fragments (at most 2). */
  const selectionsOf = (type: GraphQLObjectType, depth: number, fragmentDepth: number): fc.Arbitrary<Selection[]> => {
    const key = `${type.name}@${depth}@${fragmentDepth}`;
    const made = memo.get(key);
    if (made) return made;
    // At the deepest level only leaves: a composite field there would need a selection below it.
    const fields = Object.values(type.getFields()).filter((field) => !isCompositeType(getNamedType(field.type)) || depth < maxDepth);
    const aliases = [...new Set([...Object.keys(type.getFields()), ...EXTRA_ALIASES])].filter((alias) => !options.excludeAliases?.includes(alias));
    const fieldArbs = fields.map((field) => {
      const returnType = getNamedType(field.type);
      const sub = isObjectType(returnType) ? selectionsOf(returnType, depth + 1, 0) : fc.constant(undefined);
      const weight = type === queryType ? (options.rootWeights?.[field.name] ?? 1) : 1;
      return {
        weight,
        arbitrary: fc
          .record({
            alias: sometimes(fc.constantFrom(...aliases)),
            args: argumentArb(type, field),
            directives: directiveArb,
            selections: sub as fc.Arbitrary<Selection[] | undefined>,
          })
          .map(({ alias, args, directives, selections }): Selection => ({ kind: 'field', name: field.name, alias, args, directives, selections })),
      };
    });
    const typename = fc
      .record({ alias: sometimes(fc.constantFrom(...aliases)), directives: directiveArb })
      .map(({ alias, directives }): Selection => ({ kind: 'field', name: '__typename', alias, args: [], directives, selections: undefined }));
    const choices: fc.WeightedArbitrary<Selection>[] = [...fieldArbs, { weight: 1, arbitrary: typename }];
    if (fragmentDepth < 2) {
      const inner = selectionsOf(type, depth, fragmentDepth + 1);
      choices.push({
        weight: 1,
        arbitrary: fc
          .record({ kind: fc.constantFrom('inline' as const, 'named' as const), typeCondition: fc.boolean(), directives: directiveArb, selections: inner })
          .map(({ kind, typeCondition, directives, selections }): Selection => ({ kind, typeCondition: kind === 'named' || typeCondition, directives, selections })),
      });
    }
    const arb = fc.array(fc.oneof(...choices), { minLength: 1, maxLength: type === queryType ? 3 : maxWidth });
    memo.set(key, arb);
    return arb;
  };

  return fc.record({
    selections: selectionsOf(queryType, 1, 0),
    booleans: fc.array(fc.boolean(), { minLength: BOOLEAN_VARIABLES, maxLength: BOOLEAN_VARIABLES }),
  });
}

/** Resolves an ID slot to the string to send. */
export type IdResolver = (slot: IdSlot) => string;

/**
 * Normalises and renders a tree: drops selections whose response key is already taken in
 * their (merged) selection set, drops emptied fragments, gives emptied selection sets a
 * `__typename`, hoists named fragments, declares exactly the variables used, and checks the
 * result with `validate()`.
 */
export function renderOperation(schema: GraphQLSchema, tree: OperationTree, resolveId: IdResolver): RenderedOperation {
  const fragments: string[] = [];
  const variableDefinitions: string[] = [];
  const variables: Record<string, unknown> = {};
  let idVariables = 0;

  const directiveText = (directives: readonly Directive[]) =>
    directives
      .map((d) => {
        if ('literal' in d.condition) return ` @${d.name}(if: ${d.condition.literal})`;
        const name = `b${d.condition.variable}`;
        if (!(name in variables)) {
          variables[name] = tree.booleans[d.condition.variable] ?? false;
          variableDefinitions.push(`$${name}: Boolean!`);
        }
        return ` @${d.name}(if: $${name})`;
      })
      .join('');

  const argText = (args: readonly { name: string; value: ArgValue }[]) => {
    if (args.length === 0) return '';
    const parts = args.map(({ name, value }) => {
      if (value.kind === 'literal') return `${name}: ${value.text}`;
      const id = resolveId(value.slot);
      if (!value.asVariable) return `${name}: ${JSON.stringify(id)}`;
      const variable = `id${idVariables++}`;
      variables[variable] = id;
      variableDefinitions.push(`$${variable}: ID!`);
      return `${name}: $${variable}`;
    });
    return `(${parts.join(', ')})`;
  };

  // Response keys already used in one merged selection set (fragments included: every type here is an object type).
  const renderSet = (typeName: string, selections: readonly Selection[], taken: Set<string>, indent: string): string[] => {
    const lines: string[] = [];
    for (const selection of selections) {
      if (selection.kind === 'field') {
        const key = selection.alias ?? selection.name;
        if (taken.has(key)) continue;
        taken.add(key);
        const head = `${selection.alias !== undefined ? `${selection.alias}: ` : ''}${selection.name}${argText(selection.args)}${directiveText(selection.directives)}`;
        if (selection.selections === undefined) {
          lines.push(`${indent}${head}`);
          continue;
        }
        const field = (schema.getType(typeName) as GraphQLObjectType).getFields()[selection.name];
        const childType = getNamedType(field!.type).name;
        const inner = renderSet(childType, selection.selections, new Set(), `${indent}  `);
        if (inner.length === 0) inner.push(`${indent}  __typename`);
        lines.push(`${indent}${head} {`, ...inner, `${indent}}`);
        continue;
      }
      // A fragment's keys share the enclosing set's namespace; it is dropped if nothing survives.
      const index = selection.kind === 'named' ? fragments.push('') - 1 : -1;
      const inner = renderSet(typeName, selection.selections, taken, selection.kind === 'named' ? '  ' : `${indent}  `);
      if (inner.length === 0) continue;
      if (selection.kind === 'inline') {
        lines.push(`${indent}...${selection.typeCondition ? ` on ${typeName}` : ''}${directiveText(selection.directives)} {`, ...inner, `${indent}}`);
      } else {
        fragments[index] = `fragment F${index} on ${typeName} {\n${inner.join('\n')}\n}`;
        lines.push(`${indent}...F${index}${directiveText(selection.directives)}`);
      }
    }
    return lines;
  };

  const queryType = schema.getQueryType()!;
  const body = renderSet(queryType.name, tree.selections, new Set(), '  ');
  if (body.length === 0) body.push('  __typename');
  const header = variableDefinitions.length > 0 ? `query Generated(${variableDefinitions.join(', ')})` : 'query Generated';
  const query = [`${header} {`, ...body, '}', ...fragments.filter((f) => f !== '')].join('\n');

  const errors = validate(schema, parse(query));
  if (errors.length > 0) {
    throw new Error(`the generator produced an invalid operation:\n${query}\n${errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { query, variables };
}
