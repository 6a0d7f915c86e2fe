import fc from 'fast-check';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  parseValue,
  validate,
  valueFromASTUntyped,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { composeSupergraph } from '../../gateway/supergraph/compose.js';

/**
 * Random valid operations over the gateway's API schema, for property-based tests.
 *
 * An operation is generated as a tree (so fast-check can shrink it), then normalised so that
 * it is always valid — response keys unique per selection set, every fragment used, every
 * variable declared — and rendered to text with its variables. ID values are left as
 * *slots* (the type the policy names for the position plus a random choice); the caller
 * resolves a slot to an actual value (an opaque id for the caller's audience, another
 * audience's, a forged one, a raw id, …) when the operation is rendered for a principal.
 * Rendering asserts `validate()` against the API schema, so an invalid operation is never sent.
 *
 * Every place a value can be written is generated (docs/INVARIANTS.md#11): an ID goes in as
 * a literal, a variable's value, a variable's default (on a non-null or a nullable variable),
 * or a value that overrides a default; arguments are generated from their input types, so an
 * ID in a list item or an input object's field gets the same places, and such an argument is
 * also passed whole as a variable or a variable's default. Directive conditions are variables
 * with and without defaults.
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

/** Where an ID value is written. */
type IdPlace = 'literal' | 'variable' | 'default' | 'nullable-default' | 'overridden-default';
const ID_PLACES: readonly IdPlace[] = ['literal', 'variable', 'default', 'nullable-default', 'overridden-default'];

/** An argument's value as generated, rendered once the ID slots are resolved. */
type ArgValue =
  /** An ID at a position of type `type` (`ID!`, `ID`), written at `place`. */
  | { readonly kind: 'id'; readonly slot: IdSlot; readonly place: IdPlace; readonly type: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly ArgValue[] }
  | { readonly kind: 'object'; readonly fields: readonly { readonly name: string; readonly value: ArgValue }[] }
  /** A whole argument that holds IDs, passed as one variable of type `type`: its value, or its default. */
  | { readonly kind: 'whole'; readonly value: ArgValue; readonly type: string; readonly asDefault: boolean };

/** How a Boolean directive variable is declared: a value, a default, or a value over the opposite default. */
type BooleanPlace = 'value' | 'default' | 'overridden-default';

interface Directive {
  readonly name: 'include' | 'skip';
  /** A Boolean! variable `$b<n>`, or a literal. */
  readonly condition: { readonly variable: number } | { readonly literal: boolean };
}

type Selection =
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
  /** How each of `$b0`…`$b3` is declared. */
  readonly booleanPlaces: readonly BooleanPlace[];
}

export interface RenderedOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

export interface OperationArbitraryOptions {
  readonly schema: GraphQLSchema;
  /**
   * `Type.field` → argument path → the entity type its opaque id names (the policy's
   * ID_ARGUMENTS); a path is the argument's name, then input-object fields (`draft.clientId`).
   */
  readonly idArguments: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Deepest level a field may sit at; the root field is level 1. */
  readonly maxDepth?: number;
  /** Relative weight of each root field (default 1). */
  readonly rootWeights?: Readonly<Record<string, number>>;
  /** Most selections generated per selection set (before de-duplication). */
  readonly maxWidth?: number;
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
    'Query.findPeople.person': ['{ name: "Sam Okafor", dateOfBirth: "1999-03-14" }', '{ name: "Nobody Known", dateOfBirth: "1970-01-01" }'],
    'Query.caseloadReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.consentActivityReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.exceptionalDisclosureReport.period': ['"2026-Q4"'],
    'Query.caseloadReport.rows': ['SERVICE', 'GENDER'],
    'Query.caseloadReport.columns': ['AGE_BAND', 'OUTCOME', 'TEAM'],
    'Query.referralsAndClosuresReport.period': ['"2026-Q4"', '"2026-11"'],
    'Query.referralsAndClosuresReport.rows': ['SERVICE', 'TEAM'],
  };
  const containsId = (type: GraphQLInputType, seen: ReadonlySet<string> = new Set()): boolean => {
    const named = getNamedType(type);
    if (named.name === 'ID') return true;
    if (!isInputObjectType(named) || seen.has(named.name)) return false;
    const inner = new Set([...seen, named.name]);
    return Object.values(named.getFields()).some((field) => containsId(field.type, inner));
  };
  /** A value of `type` at `path` below `coordinate`'s argument, IDs as slots. */
  const valueArb = (type: GraphQLInputType, coordinate: string, path: readonly string[]): fc.Arbitrary<ArgValue> => {
    const literals = path.length === 1 ? LITERALS[`${coordinate}.${path[0]}`] : undefined;
    if (literals) return fc.constantFrom(...literals).map((text): ArgValue => ({ kind: 'literal', text }));
    const inner = getNullableType(type);
    if (isListType(inner)) {
      return fc.array(valueArb(inner.ofType, coordinate, path), { minLength: 1, maxLength: 2 }).map((items): ArgValue => ({ kind: 'list', items }));
    }
    if (isInputObjectType(inner)) {
      // Required fields always, optional ones that can hold an ID sometimes.
      const parts = Object.values(inner.getFields()).flatMap((field) => {
        const value = valueArb(field.type, coordinate, [...path, field.name]).map((v) => [{ name: field.name, value: v }]);
        if (isNonNullType(field.type) && field.defaultValue === undefined) return [value];
        return containsId(field.type) ? [fc.oneof(fc.constant([]), value)] : [];
      });
      return fc.tuple(...parts).map((lists): ArgValue => ({ kind: 'object', fields: lists.flat() }));
    }
    if (inner.name === 'ID') {
      const typeName = idArguments[coordinate]?.[path.join('.')];
      if (typeName === undefined) throw new Error(`no entity type for the ID at ${coordinate}(${path.join('.')})`);
      return fc
        .record({ choice: fc.nat({ max: 1_000 }), place: fc.constantFrom(...ID_PLACES) })
        .map(({ choice, place }): ArgValue => ({ kind: 'id', slot: { typeName, choice }, place, type: String(type) }));
    }
    const texts = isEnumType(inner)
      ? inner.getValues().map((value) => value.name)
      : inner.name === 'Boolean'
        ? ['true', 'false']
        : inner.name === 'Int'
          ? path.at(-1) === 'limit' || path.at(-1) === 'first'
            ? ['1', '5', '100']
            : ['0', '3', '50']
          : [];
    if (texts.length === 0) throw new Error(`no generator for argument ${coordinate}(${path.join('.')})`);
    return fc.constantFrom(...texts).map((text): ArgValue => ({ kind: 'literal', text }));
  };
  const argumentArb = (parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): fc.Arbitrary<Arg[]> => {
    const coordinate = `${parent.name}.${field.name}`;
    const parts: fc.Arbitrary<Arg[]>[] = field.args.map((arg) => {
      let value = valueArb(arg.type, coordinate, [arg.name]);
      if (containsId(arg.type) && (isListType(getNullableType(arg.type)) || isInputObjectType(getNamedType(arg.type)))) {
        // The whole argument as one variable too: its IDs then arrive inside a JSON value, or a default.
        const inline = value;
        value = fc.oneof(
          inline,
          fc
            .record({ value: inline, asDefault: fc.boolean() })
            .map(({ value: whole, asDefault }): ArgValue => ({ kind: 'whole', value: whole, type: String(arg.type), asDefault })),
        );
      }
      const args = value.map((v): Arg[] => [{ name: arg.name, value: v }]);
      // An argument with a default (or none needed) may be left out.
      return isNonNullType(arg.type) && arg.defaultValue === undefined ? args : fc.oneof(fc.constant<Arg[]>([]), args);
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
    const aliases = [...new Set([...Object.keys(type.getFields()), ...EXTRA_ALIASES])];
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
          .map(({ kind, typeCondition, directives, selections }): Selection => ({
            kind,
            typeCondition: kind === 'named' || typeCondition,
            directives,
            selections,
          })),
      });
    }
    const arb = fc.array(fc.oneof(...choices), { minLength: 1, maxLength: type === queryType ? 3 : maxWidth });
    memo.set(key, arb);
    return arb;
  };

  return fc.record({
    selections: selectionsOf(queryType, 1, 0),
    booleans: fc.array(fc.boolean(), { minLength: BOOLEAN_VARIABLES, maxLength: BOOLEAN_VARIABLES }),
    booleanPlaces: fc.array(fc.constantFrom<BooleanPlace>('value', 'default', 'overridden-default'), {
      minLength: BOOLEAN_VARIABLES,
      maxLength: BOOLEAN_VARIABLES,
    }),
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
        if (!variableDefinitions.some((definition) => definition.startsWith(`$${name}:`))) {
          const value = tree.booleans[d.condition.variable] ?? false;
          switch (tree.booleanPlaces[d.condition.variable] ?? 'value') {
            case 'value':
              variables[name] = value;
              variableDefinitions.push(`$${name}: Boolean!`);
              break;
            case 'default':
              variableDefinitions.push(`$${name}: Boolean = ${value}`);
              break;
            case 'overridden-default':
              variables[name] = value;
              variableDefinitions.push(`$${name}: Boolean = ${!value}`);
              break;
          }
        }
        return ` @${d.name}(if: $${name})`;
      })
      .join('');

  /** A value as a literal, IDs written in place (a default's text cannot hold variables). */
  const literalText = (value: ArgValue): string => {
    switch (value.kind) {
      case 'literal':
        return value.text;
      case 'id':
        return JSON.stringify(resolveId(value.slot));
      case 'list':
        return `[${value.items.map(literalText).join(', ')}]`;
      case 'object':
        return `{ ${value.fields.map((field) => `${field.name}: ${literalText(field.value)}`).join(', ')} }`;
      case 'whole':
        return literalText(value.value);
    }
  };
  const jsonOf = (value: ArgValue): unknown => {
    switch (value.kind) {
      case 'literal':
        return valueFromASTUntyped(parseValue(value.text));
      case 'id':
        return resolveId(value.slot);
      case 'list':
        return value.items.map(jsonOf);
      case 'object':
        return Object.fromEntries(value.fields.map((field) => [field.name, jsonOf(field.value)]));
      case 'whole':
        return jsonOf(value.value);
    }
  };
  const declare = (prefix: string, type: string, value: { readonly json: unknown } | undefined, defaultText?: string): string => {
    const name = `${prefix}${idVariables++}`;
    variableDefinitions.push(`$${name}: ${type}${defaultText !== undefined ? ` = ${defaultText}` : ''}`);
    if (value !== undefined) variables[name] = value.json;
    return `$${name}`;
  };
  const valueText = (value: ArgValue): string => {
    switch (value.kind) {
      case 'literal':
        return value.text;
      case 'list':
        return `[${value.items.map(valueText).join(', ')}]`;
      case 'object':
        return `{ ${value.fields.map((field) => `${field.name}: ${valueText(field.value)}`).join(', ')} }`;
      case 'whole':
        return value.asDefault ? declare('arg', value.type, undefined, literalText(value.value)) : declare('arg', value.type, { json: jsonOf(value.value) });
      case 'id': {
        const id = resolveId(value.slot);
        switch (value.place) {
          case 'literal':
            return JSON.stringify(id);
          case 'variable':
            return declare('id', value.type, { json: id });
          case 'default':
            return declare('id', value.type, undefined, JSON.stringify(id));
          case 'nullable-default':
            // A nullable variable with a default may stand where a non-null ID is required.
            return declare('id', value.type.replace(/!$/, ''), undefined, JSON.stringify(id));
          case 'overridden-default':
            // The value given wins; the default is another slot's id, never used.
            return declare('id', value.type, { json: id }, JSON.stringify(resolveId({ ...value.slot, choice: value.slot.choice + 1 })));
        }
      }
    }
  };
  const argText = (args: readonly { name: string; value: ArgValue }[]) =>
    args.length === 0 ? '' : `(${args.map(({ name, value }) => `${name}: ${valueText(value)}`).join(', ')})`;

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
