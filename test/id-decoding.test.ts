import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  astFromValue,
  extendSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  validate,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { PERSONAS } from '../seed/personas.js';
import { audienceOf } from '../shield/audience.js';
import { createIdCodec } from '../gateway/ids/opaque-ids.js';
import { ROLES, type Principal } from '../shield/roles.js';
import { ID_ARGUMENTS, policyFor } from '../shield/rules.js';
import { DEV_ID_TOKEN_SECRET } from '../platform/secrets.js';
import { rewriteOperation, RewriteError, type FieldPolicy } from '../gateway/redaction/rewrite-operation.js';
import { buildApiSchema } from './support/operation-arbitrary.js';
import { PRINCIPAL_BY_ROLE, hr, keyworkerOfSam as keyworker, otherSupportWorker as outsider, police } from './support/principals.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';

/**
 * docs/INVARIANTS.md#11: every value that enters an operation passes the one ID decoder, and
 * a raw store id is refused with the same answer as a forged token, wherever it was written —
 * a variable's value or its default, a literal, a list item, an input object's field, a
 * directive's argument — so no role reads by raw id and no answer tells an existing id from a
 * missing one.
 *
 * Three parts: the routes issue 9 reported, against the live stack; every ID position of the
 * API schema (enumerated from it, so a new one is covered without editing this file) × every
 * place a value can be written × every kind of bad id, against the live stack; and the places
 * the live schema has no ID in yet (lists, input objects, directives), through
 * `rewriteOperation` over an extended schema. Controls show the checks can fail.
 */

const INVALID_ID: GraphQLResponseBody = { errors: [{ message: 'Invalid id', extensions: { code: 'BAD_USER_INPUT' } }] };

/** An agency no consent or break-glass names: it may read no client at all. */
const council: Principal = { role: 'external_agency', sub: 'council_user_1', agency: 'Eastmoor Borough Council', purpose: 'housing' };

/** One principal per role, to call each root field as a role the policy lets call it. */
const BY_ROLE = PRINCIPAL_BY_ROLE;

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.close();
});

async function ask(principal: Principal, query: string, variables?: Record<string, unknown>) {
  t.resetCounters();
  const response = await t.query(await t.token(principal), query, variables);
  const sent = Object.values(t.subgraphRequests).reduce((sum, n) => sum + n, 0);
  return { ...response, sent };
}

/** The one refusal: 400, `Invalid id`, and not one request to any subgraph. */
function expectRefused(answer: { status: number; body: GraphQLResponseBody; sent: number }, what: string): void {
  expect(answer.body, what).toEqual(INVALID_ID);
  expect(answer.status, what).toBe(400);
  expect(answer.sent, `${what}: requests sent to subgraphs`).toBe(0);
}

function saysInvalidId(body: GraphQLResponseBody): boolean {
  return (body.errors ?? []).some((error) => error.message === 'Invalid id');
}

// -------------------------------------------------------------------------------------------
// The reported routes

describe('the routes issue 9 reported', () => {
  const staffByDefault = (rawStaffId: string) => `query Q($id: ID! = "${rawStaffId}") { staffMember(id: $id) { name team { name } } }`;

  it('a support worker outside Sam’s circle cannot read staffMember by a raw staff id in a variable default', async () => {
    expectRefused(await ask(outsider, staffByDefault(PERSONAS.sam.staffId)), 'raw staff id as a default');
    // … nor with the default on a nullable variable, nor with the same id written inline.
    expectRefused(await ask(outsider, `query Q($id: ID = "${PERSONAS.sam.staffId}") { staffMember(id: $id) { name } }`), 'nullable variable with default');
    expectRefused(await ask(outsider, `{ staffMember(id: "${PERSONAS.sam.staffId}") { __typename } }`), 'inline, __typename only');
    // The same question with the opaque id the support worker's audience holds is answered.
    const allowed = await ask(outsider, staffByDefault(t.idFor(outsider, 'StaffMember', PERSONAS.sam.staffId)));
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data).toEqual({ staffMember: { name: PERSONAS.sam.name, team: { name: 'South mental health team' } } });
  });

  it('the staff directory cannot be walked 50 aliases a request, inline or through defaults', async () => {
    const staffIds = Array.from({ length: 50 }, (_, i) => `stf_${String(i + 1).padStart(4, '0')}`);
    const inline = `{ ${staffIds.map((id, i) => `s${i}: staffMember(id: "${id}") { name }`).join(' ')} }`;
    expectRefused(await ask(outsider, inline), '50 aliases, raw ids inline');
    const defaults = `query Walk(${staffIds.map((id, i) => `$v${i}: ID! = "${id}"`).join(', ')}) { ${staffIds.map((_, i) => `s${i}: staffMember(id: $v${i}) { name }`).join(' ')} }`;
    expectRefused(await ask(outsider, defaults), '50 aliases, raw ids as defaults');
    // One raw id among 49 valid tokens is enough to refuse the whole operation.
    const mixed = `{ ${staffIds.map((id, i) => `s${i}: staffMember(id: "${i === 37 ? id : t.idFor(outsider, 'StaffMember', id)}") { name }`).join(' ')} }`;
    expectRefused(await ask(outsider, mixed), 'one raw id among valid tokens');
  });

  it('an external agency cannot read a client it was never given an id for', async () => {
    // The police hold a break-glass on the ordinary client: its raw id must still not open it.
    const raw = PERSONAS.ordinaryClient.clientId;
    expectRefused(await ask(police, `query Q($id: ID! = "${raw}") { client(id: $id) { name } }`), 'raw client id as a default');
    expectRefused(await ask(police, `{ client(id: "${raw}") { name } }`), 'raw client id inline');
    expectRefused(await ask(police, 'query Q($id: ID!) { client(id: $id) { name } }', { id: raw }), 'raw client id as a variable');
    expectRefused(
      await ask(police, `query Q($id: ID! = "${t.idFor(police, 'Client', raw)}") { client(id: $id) { name } }`, { id: raw }),
      'raw id over a valid default',
    );
    const allowed = await ask(police, 'query Q($id: ID!) { client(id: $id) { name } }', { id: t.idFor(police, 'Client', raw) });
    expect(allowed.body.data).toEqual({ client: { name: PERSONAS.ordinaryClient.name } });
  });

  it('an agency with no consent gets one answer for an existing raw id, a missing one and a forged token', async () => {
    const shapes: ((id: string) => { query: string; variables?: Record<string, unknown> })[] = [
      (id: string) => ({ query: `query Q($id: ID! = "${id}") { client(id: $id) { name } }` }),
      (id: string) => ({ query: `{ client(id: "${id}") { __typename } }` }),
      (id: string) => ({ query: 'query Q($id: ID!) { client(id: $id) { name } }', variables: { id } }),
    ];
    const ids = [PERSONAS.sam.clientId, 'cli_00000000', `n1_${'A'.repeat(86)}`, t.idFor(police, 'Client', PERSONAS.sam.clientId)];
    for (const shape of shapes) {
      for (const id of ids) {
        const { query, variables } = shape(id);
        expectRefused(await ask(council, query, variables), `${query} with ${id}`);
      }
    }
  });
});

// -------------------------------------------------------------------------------------------
// Every ID position of the API schema × every place × every kind of bad id

const API = buildApiSchema();

/** An ID position: a field's argument, then input-object fields down to an ID (lists are transparent). */
interface IdPosition {
  readonly owner: GraphQLObjectType;
  readonly field: GraphQLField<unknown, unknown>;
  readonly argument: GraphQLArgument;
  readonly inputPath: readonly string[];
  readonly label: string;
}

function idPathsIn(type: GraphQLInputType, seen: ReadonlySet<string> = new Set()): string[][] {
  const named = getNamedType(type);
  if (named.name === 'ID') return [[]];
  if (!isInputObjectType(named) || seen.has(named.name)) return [];
  const inner = new Set([...seen, named.name]);
  return Object.values(named.getFields()).flatMap((field) => idPathsIn(field.type, inner).map((path) => [field.name, ...path]));
}

function idPositions(schema: GraphQLSchema): IdPosition[] {
  const positions: IdPosition[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      for (const argument of field.args) {
        for (const inputPath of idPathsIn(argument.type)) {
          positions.push({ owner: type, field, argument, inputPath, label: `${type.name}.${field.name}(${[argument.name, ...inputPath].join('.')})` });
        }
      }
    }
  }
  return positions;
}

const POSITIONS = idPositions(API);

function entityTypeOf(position: IdPosition): string | undefined {
  const ids = ID_ARGUMENTS[`${position.owner.name}.${position.field.name}`];
  const path = [position.argument.name, ...position.inputPath].join('.');
  return ids !== undefined && Object.hasOwn(ids, path) ? ids[path] : undefined;
}

/** A value for a required argument or field no test is about: the first enum value, a plain string, … */
function fillerValue(type: GraphQLInputType, validToken: (entityType: string) => string): unknown {
  const inner = getNullableType(type);
  if (isListType(inner)) return [fillerValue(inner.ofType, validToken)];
  if (isInputObjectType(inner)) {
    const required = Object.values(inner.getFields()).filter((field) => isNonNullType(field.type) && field.defaultValue === undefined);
    return Object.fromEntries(required.map((field) => [field.name, fillerValue(field.type, validToken)]));
  }
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  switch (inner.name) {
    case 'Int':
      return 1;
    case 'Float':
      return 1.5;
    case 'Boolean':
      return true;
    case 'ID':
      // The caller's validToken picks the entity type the policy names for this argument; Client where it names none.
      return validToken('Client');
    default:
      return '2026-01-01T00:00:00.000Z';
  }
}

function filler(type: GraphQLInputType, validToken: (entityType: string) => string): string {
  const ast = astFromValue(fillerValue(type, validToken), type);
  if (!ast) throw new Error(`no literal for ${String(type)}`);
  return print(ast);
}

/** The argument's value as a literal, with `leaf` (a literal or `$v`) at the position's path. */
function valueWith(type: GraphQLInputType, path: readonly string[], leaf: string, validToken: (entityType: string) => string): string {
  const inner = getNullableType(type);
  if (isListType(inner)) return `[${valueWith(inner.ofType, path, leaf, validToken)}]`;
  if (isInputObjectType(inner)) {
    const [head, ...rest] = path;
    const fields = Object.values(inner.getFields());
    const parts = fields
      .filter((field) => field.name === head || (isNonNullType(field.type) && field.defaultValue === undefined))
      .map((field) => `${field.name}: ${field.name === head ? valueWith(field.type, rest, leaf, validToken) : filler(field.type, validToken)}`);
    return `{ ${parts.join(', ')} }`;
  }
  return leaf;
}

/** The type of the position itself (an ID, possibly non-null), for a variable written right there. */
function leafType(type: GraphQLInputType, path: readonly string[]): GraphQLInputType {
  const inner = getNullableType(type);
  if (isListType(inner)) return leafType(inner.ofType, path);
  if (isInputObjectType(inner)) {
    const [head, ...rest] = path;
    return leafType(inner.getFields()[head!]!.type, rest);
  }
  return type;
}

interface Request {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

/** The value to put at the position: a token or raw id (a string), or a non-string. */
type IdValue = string | number;
const literalOf = (value: IdValue) => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * Every place a value can be written at one position. Each returns the request with `value`
 * at the position and valid tokens everywhere else.
 */
function places(position: IdPosition, validToken: (entityType: string) => string): [string, (value: IdValue, valid: IdValue) => Request][] {
  const { owner, field, argument, inputPath } = position;
  const kind = owner === API.getMutationType() ? 'mutation' : 'query';
  if (owner !== API.getQueryType() && owner !== API.getMutationType()) {
    throw new Error(`${position.label}: an ID position below the root; give this test a route to ${owner.name}`);
  }
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  const others = field.args
    .filter((other) => other !== argument && isNonNullType(other.type) && other.defaultValue === undefined)
    // Another required ID (a page's team beside its cursor) gets a valid token of the entity type the policy names for it.
    .map((other) => `, ${other.name}: ${filler(other.type, (fallback) => validToken(ID_ARGUMENTS[`${owner.name}.${field.name}`]?.[other.name] ?? fallback))}`)
    .join('');
  const call = (argumentText: string, alias = '') => `${alias}${field.name}(${argument.name}: ${argumentText}${others})${selection}`;
  const atPosition = (leaf: string) => valueWith(argument.type, inputPath, leaf, validToken);
  const argumentType = String(argument.type);
  const positionType = String(leafType(argument.type, inputPath));
  const nested = inputPath.length > 0 || isListType(getNullableType(argument.type));
  // The whole argument as a JSON variable value.
  const asJson = (value: IdValue): unknown => jsonWith(argument.type, inputPath, value);
  function jsonWith(type: GraphQLInputType, path: readonly string[], value: IdValue): unknown {
    const inner = getNullableType(type);
    if (isListType(inner)) return [jsonWith(inner.ofType, path, value)];
    if (isInputObjectType(inner)) {
      const [head, ...rest] = path;
      const out: Record<string, unknown> = {};
      for (const f of Object.values(inner.getFields())) {
        if (f.name === head) out[f.name] = jsonWith(f.type, rest, value);
        else if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = fillerValue(f.type, validToken);
      }
      return out;
    }
    return value;
  }

  const list: [string, (value: IdValue, valid: IdValue) => Request][] = [
    ['a variable’s value', (value) => ({ query: `${kind} Q($v: ${argumentType}) { ${call('$v')} }`, variables: { v: asJson(value) } })],
    ['a variable’s default', (value) => ({ query: `${kind} Q($v: ${argumentType} = ${atPosition(literalOf(value))}) { ${call('$v')} }` })],
    [
      'a variable’s value over a valid default',
      (value, valid) => ({ query: `${kind} Q($v: ${argumentType} = ${atPosition(literalOf(valid))}) { ${call('$v')} }`, variables: { v: asJson(value) } }),
    ],
    ['a literal', (value) => ({ query: `${kind} { ${call(atPosition(literalOf(value)))} }` })],
    ['a literal in a named fragment', (value) => ({ query: `${kind} { ...F } fragment F on ${owner.name} { ${call(atPosition(literalOf(value)))} }` })],
    [
      'a literal beside a valid one under another alias',
      (value, valid) => ({ query: `${kind} { ${call(atPosition(literalOf(valid)), 'a: ')} ${call(atPosition(literalOf(value)), 'b: ')} }` }),
    ],
  ];
  if (isNonNullType(argument.type) && !nested) {
    // A nullable variable with a default may stand where a non-null value is expected.
    const nullable = String(getNullableType(argument.type));
    list.push(['a nullable variable’s default', (value) => ({ query: `${kind} Q($v: ${nullable} = ${literalOf(value)}) { ${call('$v')} }` })]);
  }
  if (nested) {
    // The list item or input field itself as a variable, with and without a default.
    list.push([
      'a variable inside a list or input object',
      (value) => ({ query: `${kind} Q($v: ${positionType}) { ${call(atPosition('$v'))} }`, variables: { v: value } }),
    ]);
    list.push([
      'a variable’s default inside a list or input object',
      (value) => ({ query: `${kind} Q($v: ${positionType} = ${literalOf(value)}) { ${call(atPosition('$v'))} }` }),
    ]);
  }
  return list;
}

describe('one id written where a list of ids goes', () => {
  it('is a list of one, decoded like any other (it used to fail planning with a 500)', async () => {
    const dpo = PRINCIPAL_BY_ROLE.data_protection_officer;
    const token = t.idFor(dpo, 'Client', PERSONAS.sam.clientId);
    const single = (await ask(dpo, `{ auditSubjectNames(ids: "${token}") { name } }`)).body;
    const listed = (await ask(dpo, `{ auditSubjectNames(ids: ["${token}"]) { name } }`)).body;
    expect(single.errors).toBeUndefined();
    expect(single.data).toEqual(listed.data);
    expect(single.data).toEqual({ auditSubjectNames: [{ name: PERSONAS.sam.name }] });
    expectRefused(await ask(dpo, `{ auditSubjectNames(ids: "${PERSONAS.sam.clientId}") { name } }`), 'a raw id where a list goes');
  });
});

describe('every ID position of the API schema, every place, every kind of bad id', () => {
  /** Raw ids of entities that exist, where the seed has one; else a plausible missing one. */
  const rawIds = new Map<string, string>();
  beforeAll(async () => {
    const first = async (db: 'clients' | 'hr' | 'consent', collection: string) => (await t.db(db).collection<{ _id: string }>(collection).findOne({}))?._id;
    const known: Record<string, string | undefined> = {
      Client: PERSONAS.sam.clientId,
      StaffMember: PERSONAS.sam.staffId,
      Employee: PERSONAS.sam.employeeId,
      Team: PERSONAS.teams.north,
      Consent: PERSONAS.samConsentToNhs.consentId,
      ExceptionalDisclosure: PERSONAS.exceptionalDisclosureToPolice.id,
      CaseNote: await first('clients', 'caseNotes'),
      HomeVisit: await first('clients', 'homeVisits'),
      TrusteeGrant: await first('consent', 'trusteeGrants'),
      SubjectAccessRequest: await first('consent', 'subjectAccessRequests'),
    };
    for (const [type, id] of Object.entries(known)) if (id !== undefined) rawIds.set(type, id);
  });

  it('finds the ID positions in the schema, and the policy names an entity type for each', () => {
    expect(POSITIONS.length).toBeGreaterThanOrEqual(Object.values(ID_ARGUMENTS).flatMap(Object.keys).length);
    expect(POSITIONS.filter((position) => entityTypeOf(position) === undefined).map((p) => p.label)).toEqual([]);
    // A default in the schema itself would be planned without passing the decoder.
    expect(POSITIONS.filter((position) => position.argument.defaultValue !== undefined).map((p) => p.label)).toEqual([]);
  });

  it.each(POSITIONS.map((position) => [position.label, position] as const))('%s', { timeout: 120_000 }, async (_label, position) => {
    const entityType = entityTypeOf(position) ?? 'Client';
    const kind = position.owner === API.getMutationType() ? 'Mutation' : 'Query';
    const role = ROLES.find((candidate) => policyFor(kind, position.field.name)?.decide(candidate) !== 'deny');
    expect(role, `some role may call ${position.label}`).toBeDefined();
    const principal = BY_ROLE[role!];
    const other: Principal = audienceOf(principal) === 'care' ? hr : keyworker;
    const otherType = [...new Set(Object.values(ID_ARGUMENTS).flatMap((byArgument) => Object.values(byArgument)))].find((type) => type !== entityType)!;
    const raw = rawIds.get(entityType) ?? `${entityType.toLowerCase()}_missing_0`;
    const token = (type: string, id: string) => t.idFor(principal, type, id);
    const valid = token(entityType, raw);
    const edited = `${valid.slice(0, 10)}${valid[10] === 'A' ? 'B' : 'A'}${valid.slice(11)}`;
    const bad: [string, IdValue][] = [
      ['a raw id', raw],
      ['a missing raw id', `${raw}_missing`],
      ['a forged token', `n1_${'x'.repeat(86)}`],
      ['an edited token', edited],
      ['another audience’s token', t.idFor(other, entityType, raw)],
      ['a token of another type', token(otherType, raw)],
      ['a number', 12345],
    ];
    const validToken = (type: string) => token(type, rawIds.get(type) ?? 'missing_0');

    for (const [place, build] of places(position, validToken)) {
      for (const [what, value] of bad) {
        const request = build(value, valid);
        expect(validate(API, parse(request.query)), request.query).toEqual([]);
        expectRefused(await ask(principal, request.query, request.variables), `${what} as ${place}: ${request.query}`);
      }
      // A valid token in the same place is decoded, not refused. A change is made about an id
      // that exists nowhere, so this test changes no record.
      const validHere = kind === 'Mutation' ? token(entityType, `${entityType.toLowerCase()}_missing_1`) : valid;
      const request = build(validHere, validHere);
      const answer = await ask(principal, request.query, request.variables);
      expect(saysInvalidId(answer.body), `a valid token as ${place}: ${request.query}\n${JSON.stringify(answer.body)}`).toBe(false);
      expect(answer.status, `a valid token as ${place}: ${request.query}\n${JSON.stringify(answer.body)}`).toBe(200);
    }
  });
});

// -------------------------------------------------------------------------------------------
// Places the live schema has no ID in yet: list items, input-object fields, directive arguments

describe('lists, input objects and directives (rewriteOperation over an extended schema)', () => {
  const schema = extendSchema(
    API,
    parse(`
      input NoteDraft { clientId: ID!, mentions: [ID!], visit: VisitRef, text: String }
      input VisitRef { visitId: ID }
      directive @onBehalfOf(staffId: ID) on FIELD | QUERY
      extend type Query {
        clientsByIds(ids: [ID!]!): [Client!]
        notePreview(draft: NoteDraft!): String
        unnamedId(id: ID): String
      }
    `),
  );
  const ids: Readonly<Record<string, Readonly<Record<string, string>>>> = {
    ...ID_ARGUMENTS,
    'Query.clientsByIds': { ids: 'Client' },
    'Query.notePreview': { 'draft.clientId': 'Client', 'draft.mentions': 'Client', 'draft.visit.visitId': 'HomeVisit' },
    '@onBehalfOf': { staffId: 'StaffMember' },
  };
  const policy: FieldPolicy = {
    decide: () => 'allow',
    needs: () => ({}),
    idArgumentType: (owner, argumentPath) => (Object.hasOwn(ids[owner] ?? {}, argumentPath) ? ids[owner]![argumentPath] : undefined),
    alwaysNeeds: () => undefined,
  };
  const codec = createIdCodec(DEV_ID_TOKEN_SECRET);
  const tok = (type: string, raw: string) => codec.encode('care', type, raw);
  const rewrite = (query: string, variables: Record<string, unknown> = {}, decodeId = (type: string, token: string) => codec.decode('care', type, token)) => {
    const document = parse(query);
    expect(validate(schema, document), query).toEqual([]);
    const out = rewriteOperation({ schema, document, operationName: undefined, variables, role: 'support_worker', policy, decodeId });
    return { text: print(out.document), variables: out.variables };
  };
  const refusal = (query: string, variables?: Record<string, unknown>): unknown => {
    try {
      rewrite(query, variables);
    } catch (error) {
      if (error instanceof RewriteError) return { code: error.code, message: error.message };
      throw error;
    }
    return 'accepted';
  };
  const INVALID = { code: 'BAD_USER_INPUT', message: 'Invalid id' };

  const c1 = 'cli_aaaa0001';
  const c2 = 'cli_bbbb0002';
  const bads: [string, unknown][] = [
    ['a raw id', c2],
    ['a forged token', `n1_${'x'.repeat(86)}`],
    ['another audience’s token', codec.encode('hr', 'Client', c2)],
    ['a token of another type', tok('Employee', c2)],
  ];
  const placesOf: [string, (bad: unknown) => [string, Record<string, unknown>?]][] = [
    ['a list item literal', (bad) => [`{ clientsByIds(ids: ["${tok('Client', c1)}", ${JSON.stringify(bad)}]) { __typename } }`]],
    ['a single literal where a list goes', (bad) => [`{ clientsByIds(ids: ${JSON.stringify(bad)}) { __typename } }`]],
    ['a list variable', (bad) => ['query Q($ids: [ID!]!) { clientsByIds(ids: $ids) { __typename } }', { ids: [tok('Client', c1), bad] }]],
    ['a single value for a list variable', (bad) => ['query Q($ids: [ID!]!) { clientsByIds(ids: $ids) { __typename } }', { ids: bad }]],
    [
      'a list variable’s default',
      (bad) => [`query Q($ids: [ID!]! = ["${tok('Client', c1)}", ${JSON.stringify(bad)}]) { clientsByIds(ids: $ids) { __typename } }`],
    ],
    [
      'a list item variable’s default',
      (bad) => [`query Q($a: ID! = ${JSON.stringify(bad)}) { clientsByIds(ids: ["${tok('Client', c1)}", $a]) { __typename } }`],
    ],
    ['an input field literal', (bad) => [`{ notePreview(draft: { clientId: ${JSON.stringify(bad)} }) }`]],
    [
      'a list in an input field',
      (bad) => [`{ notePreview(draft: { clientId: "${tok('Client', c1)}", mentions: ["${tok('Client', c1)}", ${JSON.stringify(bad)}] }) }`],
    ],
    ['an input-object variable', (bad) => ['query Q($d: NoteDraft!) { notePreview(draft: $d) }', { d: { clientId: bad } }]],
    [
      'a list in an input-object variable',
      (bad) => ['query Q($d: NoteDraft!) { notePreview(draft: $d) }', { d: { clientId: tok('Client', c1), mentions: [bad] } }],
    ],
    ['an input-object variable’s default', (bad) => [`query Q($d: NoteDraft! = { clientId: ${JSON.stringify(bad)} }) { notePreview(draft: $d) }`]],
    ['an input field variable’s default', (bad) => [`query Q($c: ID! = ${JSON.stringify(bad)}) { notePreview(draft: { clientId: $c }) }`]],
    ['a directive argument on a field', (bad) => [`{ clientsByIds(ids: []) @onBehalfOf(staffId: ${JSON.stringify(bad)}) { __typename } }`]],
    [
      'a directive argument’s variable default',
      (bad) => [`query Q($s: ID = ${JSON.stringify(bad)}) { clientsByIds(ids: []) @onBehalfOf(staffId: $s) { __typename } }`],
    ],
    ['a directive argument on the operation', (bad) => [`query Q @onBehalfOf(staffId: ${JSON.stringify(bad)}) { clientsByIds(ids: []) { __typename } }`]],
  ];

  it.each(placesOf)('%s: every bad id gets the one answer', (_place, build) => {
    for (const [what, bad] of bads) {
      const [query, variables] = build(bad);
      // The directive's position names a StaffMember: its bad ids are built from a client's.
      expect(refusal(query, variables), `${what}: ${query}`).toEqual(INVALID);
    }
    // A non-string in a variable is refused the same way, not in coercion's own words.
    const [query, variables] = build(12345);
    expect(refusal(query, variables), `a number: ${query}`).toEqual(INVALID);
  });

  it('decodes valid tokens at every nested place into variables, leaving no id or default in the text', () => {
    const staff = tok('StaffMember', 'stf_0009');
    const visit = tok('HomeVisit', 'hv_1');
    const { text, variables } = rewrite(
      `query Q($c: ID! = "${tok('Client', c1)}", $d: NoteDraft!, $s: ID = "${staff}", $yes: Boolean = true) @onBehalfOf(staffId: $s) {
        clientsByIds(ids: ["${tok('Client', c1)}", $c]) @include(if: $yes) { __typename }
        notePreview(draft: $d)
        again: notePreview(draft: { clientId: $c, mentions: ["${tok('Client', c2)}"], visit: { visitId: "${visit}" } }) @onBehalfOf(staffId: "${staff}")
      }`,
      { d: { clientId: tok('Client', c2), mentions: [tok('Client', c1)], visit: { visitId: visit }, text: 'hello' } },
    );
    expect(variables).toEqual({
      c: c1,
      d: { clientId: c2, mentions: [c1], visit: { visitId: 'hv_1' }, text: 'hello' },
      s: 'stf_0009',
      yes: true,
      _ntk_id0: c1,
      _ntk_id1: c2,
      _ntk_id2: 'hv_1',
      _ntk_id3: 'stf_0009',
    });
    expect(text).not.toContain('n1_');
    expect(text).not.toContain(' = ');
    expect(text).toContain('clientsByIds(ids: [$_ntk_id0, $c])');
    // Without their defaults, nullable variables that now always carry a value say so, so they
    // may still stand where a value is required (@include's if: Boolean!).
    expect(text).toContain('$yes: Boolean!');
    expect(text).toContain('$s: ID!');
  });

  it('refuses null given for a defaulted nullable variable where a value is required, with a clear message', () => {
    const query = `query Q($v: ID = "${tok('Client', c1)}") { client(id: $v) { __typename } }`;
    expect(refusal(query, { v: null })).toEqual({ code: 'BAD_USER_INPUT', message: 'Variable "$v" is null where a value is required' });
    // Where null is allowed, it is sent as null.
    expect(
      rewrite(`query Q($v: ID = "${tok('HomeVisit', 'hv_1')}") { notePreview(draft: { clientId: "${tok('Client', c1)}", visit: { visitId: $v } }) }`, {
        v: null,
      }).variables,
    ).toEqual({ v: null, _ntk_id0: c1 });
  });

  it('refuses an ID position the policy does not name, whatever the value, null included', () => {
    expect(refusal(`{ unnamedId(id: "${tok('Client', c1)}") }`)).toEqual(INVALID);
    expect(refusal('{ unnamedId(id: null) }')).toEqual(INVALID);
    expect(refusal('query Q($i: ID) { unnamedId(id: $i) }')).toEqual(INVALID);
  });

  it('refuses one variable used where two different entity types go, and accepts it where one does', () => {
    expect(
      refusal(`query Q($x: ID! = "${tok('Client', c1)}") { client(id: $x) { __typename } clientsByIds(ids: []) @onBehalfOf(staffId: $x) { __typename } }`),
    ).toEqual(INVALID);
    expect(refusal('query Q($x: ID) { clientsByIds(ids: []) @onBehalfOf(staffId: $x) { __typename } client(id: "x") { __typename } }')).toEqual(INVALID);
    const same = rewrite(`query Q($x: ID! = "${tok('Client', c1)}") { client(id: $x) { __typename } clientsByIds(ids: [$x]) { __typename } }`);
    expect(same.variables).toEqual({ x: c1 });
  });

  it('refuses variables named with the internal prefix, which would collide with the decoded ones', () => {
    expect(refusal('query Q($_ntk_id0: ID!) { client(id: $_ntk_id0) { __typename } }', { _ntk_id0: 'cli_x' })).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('keeps a literal null, and sends variables that are neither given nor defaulted as absent', () => {
    const out = rewrite(
      'query Q($v: VisitRef) { notePreview(draft: { clientId: "' +
        tok('Client', c1) +
        '", visit: { visitId: null } }) a: notePreview(draft: { clientId: "' +
        tok('Client', c1) +
        '", visit: $v }) }',
    );
    expect(out.variables).toEqual({ _ntk_id0: c1, _ntk_id1: c1 });
    expect(out.text).toContain('visitId: null');
  });

  it('control: with a pass-through decoder the raw default reaches the planner, and this check sees it', () => {
    const query = `query Q($id: ID! = "${PERSONAS.sam.staffId}") { staffMember(id: $id) { name } }`;
    const passThrough = rewrite(query, {}, (_type, token) => token);
    expect(passThrough.variables).toEqual({ id: PERSONAS.sam.staffId });
    expect(() => rewrite(query)).toThrow(RewriteError);
  });
});

// -------------------------------------------------------------------------------------------

describe('control: the same routes through a gateway without the decoder', () => {
  let unredacted: TestStack;
  beforeAll(async () => {
    unredacted = await startTestStack({ redaction: false });
  });
  afterAll(async () => {
    await unredacted?.close();
  });

  it('reads Sam’s staff record by raw id from a variable default, and tells existing ids from missing ones', async () => {
    const read = async (query: string) => (await unredacted.query(await unredacted.token(outsider), query)).body;
    const leaked = await read(`query Q($id: ID! = "${PERSONAS.sam.staffId}") { staffMember(id: $id) { name } }`);
    expect(leaked).toEqual({ data: { staffMember: { name: PERSONAS.sam.name } } });
    expect(saysInvalidId(leaked)).toBe(false);
    const existing = await read(`query Q($id: ID! = "${PERSONAS.sam.clientId}") { client(id: $id) { __typename } }`);
    const missing = await read('query Q($id: ID! = "cli_00000000") { client(id: $id) { __typename } }');
    expect(existing).not.toEqual(missing);
  });
});
