import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql';
import { claimsKey, signGatewayClaims } from '../platform/gateway-claims.js';
import { DEV_SUBGRAPH_SIGNING_SECRET } from '../platform/secrets.js';
import { PERSONAS } from '../seed/personas.js';
import { CONDITIONS } from '../shield/conditions.js';
import { FIELDS, MUTATIONS, QUERIES, type RootRule } from '../shield/policy.js';
import { decisionFor } from '../shield/policy-rule.js';
import { POLICY, routeRuleFor } from '../shield/rules.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { AUDIT_ENTRIES_PATH, MY_RECORD_ACCESS_PATH } from '../gateway/audit/audit-routes.js';
import { ALERTS_PATH, CLOSE_ALERT_PATH } from '../gateway/alerts/alert-routes.js';
import { reportCsvPath, supergraphReports } from '../gateway/reports/report-descriptors.js';
import { readCommittedSupergraph } from '../gateway/supergraph/compose.js';
import { SUBJECT_ACCESS_EXPORT_PATH } from '../gateway/subject-access/subject-access-export.js';
import { ROLES, type Principal, type Role } from '../shield/roles.js';
import { guardResolvers } from '../subgraphs/shared/policy-guard.js';
import type { RequestIdentity } from '../subgraphs/shared/request-identity.js';
import { loadSubgraphs, type SubgraphName } from '../subgraphs/registry.js';
import { PRINCIPAL_BY_ROLE, keyworkerOfSamWithTeamClaim } from './support/principals.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 9: "a test that fails when any subgraph guard or gateway rule disagrees with the policy
 * source". The gateway's rules and every subgraph's guard are derived from shield/policy.ts; what
 * can still drift is code around them: a resolver with a role check of its own, a root field or
 * entity the policy does not name. So each subgraph's REAL resolvers are run behind its guard
 * for every root field and entity type × every role, with a store that throws a marker as soon
 * as it is touched: a role the policy allows must reach the store, and a role it does not must be
 * refused before. Then, over real HTTP with a validly signed claim, the reported route: a claim
 * for the reporting role asking `_entities` for a restricted reason and an NI number.
 */

/** Every registered subgraph (subgraphs/registry.ts), so a new one is checked without being listed here. */
const SUBGRAPHS = (await loadSubgraphs()).map((subgraph) => [subgraph.name, subgraph] as const);

class Reached extends Error {}

/** A request context whose store, clock and settings throw `Reached` when read: reaching it means the guard let the call through. */
function probeContext(principal: Principal): RequestIdentity {
  const trap: object = new Proxy(
    {},
    {
      get: () => {
        throw new Reached('reached the store');
      },
    },
  );
  return new Proxy(
    { principal, requestId: 'agreement-probe' },
    {
      get: (target, property) => (property === 'principal' || property === 'requestId' ? target[property as 'principal'] : trap),
    },
  );
}

/** The support worker carries a team claim too: a team claim must open nothing for a support worker. */
const PRINCIPALS: Readonly<Record<Role, Principal>> = {
  ...PRINCIPAL_BY_ROLE,
  support_worker: keyworkerOfSamWithTeamClaim,
};

type Outcome = 'reached' | 'refused' | 'other';

/** Root fields resolved from the caller's claims without a store read. */
const ANSWERED_FROM_CLAIMS: ReadonlySet<string> = new Set(['Query.me']);

async function outcomeOf(call: () => unknown): Promise<Outcome> {
  try {
    await call();
    return 'other';
  } catch (error) {
    if (error instanceof Reached) return 'reached';
    if (error instanceof GraphQLError && error.extensions.code === 'FORBIDDEN') return 'refused';
    return 'other';
  }
}

/** Arguments that name the principal themself (or their own team) wherever a subject is named directly. */
function argumentsFor(rule: RootRule, principal: Principal): Record<string, unknown> {
  const locator = rule.subject;
  if (locator === undefined) return {};
  return { [locator.argument]: locator.kind === 'team' ? principal.team : principal.sub };
}

/** What the policy says the subgraph must do: let the role through (its conditions, if any, hold for the principal's own subject), or refuse it. */
function expected(rule: RootRule, principal: Principal): 'reached' | 'refused' {
  const grant = rule.access[principal.role];
  if (grant === undefined) return 'refused';
  if (grant === 'always') return 'reached';
  const names = typeof grant === 'string' ? [grant] : grant;
  // Conditions on a client's circle are the gateway's (it fetched the circle); the subgraph lets the role through.
  const subjectOnly = names.every((name) => CONDITIONS[name].reads.every((read) => read === 'subject'));
  if (!subjectOnly || rule.subject?.through !== undefined) return 'reached';
  const facts = rule.subject?.kind === 'team' ? { teamAskedFor: principal.team } : { client: { id: principal.sub, keyworkerIds: [], teamId: undefined } };
  return names.some((name) => CONDITIONS[name].holds(facts, principal)) ? 'reached' : 'refused';
}

function shapeOf(typeDefs: DocumentNode) {
  const roots: { kind: 'Query' | 'Mutation'; field: string }[] = [];
  const entities: string[] = [];
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const name = definition.name.value;
    if (name === 'Query' || name === 'Mutation') for (const field of definition.fields ?? []) roots.push({ kind: name, field: field.name.value });
    else if (definition.directives?.some((directive) => directive.name.value === 'key')) entities.push(name);
  }
  return { roots, entities };
}

describe.each(SUBGRAPHS)('the %s subgraph’s guard and resolvers agree with the policy', (name, { typeDefs, resolvers }) => {
  const guarded = guardResolvers(name, typeDefs, resolvers) as Record<string, Record<string, unknown>>;
  const { roots, entities } = shapeOf(typeDefs);

  it('serves only root fields and entities the policy names', () => {
    for (const { kind, field } of roots) expect((kind === 'Query' ? QUERIES : MUTATIONS)[field], `${kind}.${field}`).toBeDefined();
    for (const type of entities) expect(FIELDS[type], type).toBeDefined();
    expect(roots.length).toBeGreaterThan(0);
  });

  for (const { kind, field } of roots) {
    it(`${kind}.${field}: every role as the policy says`, async () => {
      const rule = (kind === 'Query' ? QUERIES : MUTATIONS)[field] as RootRule;
      const resolve = guarded[kind]?.[field] as (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;
      const seen: Record<string, Outcome> = {};
      const want: Record<string, Outcome> = {};
      for (const role of ROLES) {
        const principal = PRINCIPALS[role];
        const outcome = await outcomeOf(() => resolve({}, argumentsFor(rule, principal), probeContext(principal), { fieldName: field }));
        // `me` is answered from the verified claims alone and never touches the store: returning is reaching it.
        seen[role] = outcome === 'other' && ANSWERED_FROM_CLAIMS.has(`${kind}.${field}`) ? 'reached' : outcome;
        want[role] = expected(rule, principal);
        // The gateway's pre-plan decision is the same policy.
        expect(POLICY[kind]?.[field]?.decide(role)).toBe(decisionFor(rule.access, role));
      }
      expect(seen).toEqual(want);
    });
  }

  for (const type of entities) {
    it(`${type} entities: fetched only for roles the policy names on one of its fields`, async () => {
      const resolveReference = guarded[type]?.__resolveReference as (reference: object, context: unknown, info: unknown) => unknown;
      const seen: Record<string, Outcome> = {};
      const want: Record<string, Outcome> = {};
      for (const role of ROLES) {
        const outcome = await outcomeOf(() => resolveReference({ __typename: type, id: 'probe' }, probeContext(PRINCIPALS[role]), {}));
        // A reference resolver that never touches the store (the consent store's Client) returns: that is a pass as well.
        seen[role] = outcome === 'other' ? 'reached' : outcome;
        want[role] = Object.values(FIELDS[type] ?? {}).some((access) => access[role] !== undefined) ? 'reached' : 'refused';
      }
      expect(seen).toEqual(want);
    });
  }

  it('control: a resolver with a role check of its own that drifts from the policy is caught', async () => {
    const [first] = roots;
    if (!first) throw new Error('no root field');
    const drifting = {
      ...resolvers,
      [first.kind]: {
        ...(resolvers[first.kind] as object),
        [first.field]: () => {
          throw new GraphQLError('Forbidden', { extensions: { code: 'FORBIDDEN' } });
        },
      },
    };
    const wrapped = guardResolvers(name, typeDefs, drifting) as Record<string, Record<string, unknown>>;
    const rule = (first.kind === 'Query' ? QUERIES : MUTATIONS)[first.field] as RootRule;
    const allowed = ROLES.find((role) => expected(rule, PRINCIPALS[role]) === 'reached');
    if (!allowed) throw new Error('no role allowed');
    const resolve = wrapped[first.kind]?.[first.field] as (parent: unknown, args: unknown, context: unknown, info: unknown) => unknown;
    expect(await outcomeOf(() => resolve({}, argumentsFor(rule, PRINCIPALS[allowed]), probeContext(PRINCIPALS[allowed]), {}))).toBe('refused');
  });

  it('a root field the policy does not name stops the subgraph at start-up', () => {
    const grown = { ...typeDefs, definitions: [...typeDefs.definitions, ...parse('extend type Query { unlisted: String }').definitions] };
    expect(() => guardResolvers(name, grown, resolvers)).toThrow(/does not name.*Query\.unlisted/);
  });
});

describe('a validly signed claim for a role opens only what the policy gives that role (over real HTTP)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.close();
  });

  async function direct(subgraph: SubgraphName, principal: Principal, query: string, variables: Record<string, unknown>) {
    const token = await signGatewayClaims(claimsKey(DEV_SUBGRAPH_SIGNING_SECRET), subgraph, { principal, requestId: 'direct-probe-1' }, { query, variables });
    const response = await fetch(t.stack.subgraphs[subgraph].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: { _entities?: unknown[] } | null; errors?: { extensions?: { code?: string } }[] };
  }

  const RESTRICTION = 'query R($r: [_Any!]!) { _entities(representations: $r) { ... on Client { restriction { reason sealedNote } } } }';
  const NI_NUMBER = 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { niNumber homeAddress { postcode } } } }';

  it('a reporting claim gets neither a restricted reason nor an NI number', async () => {
    const reporting = PRINCIPALS.reporting;
    const restriction = await direct('clients', reporting, RESTRICTION, { r: [{ __typename: 'Client', id: PERSONAS.sam.clientId }] });
    expect(restriction.data?._entities).toEqual([null]);
    expect(restriction.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const employee = await direct('hr', reporting, NI_NUMBER, { r: [{ __typename: 'Employee', id: PERSONAS.sam.employeeId }] });
    expect(employee.data?._entities).toEqual([null]);
    expect(employee.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('every role the policy names for no field of a type is refused that type’s entities', async () => {
    for (const role of ROLES) {
      const principal = PRINCIPALS[role];
      const mayClient = Object.values(FIELDS.Client ?? {}).some((access) => access[role] !== undefined);
      const mayEmployee = Object.values(FIELDS.Employee ?? {}).some((access) => access[role] !== undefined);
      const client = await direct('clients', principal, 'query C($r: [_Any!]!) { _entities(representations: $r) { ... on Client { id } } }', {
        r: [{ __typename: 'Client', id: PERSONAS.sam.clientId }],
      });
      const employee = await direct('hr', principal, 'query E($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { id } } }', {
        r: [{ __typename: 'Employee', id: PERSONAS.sam.employeeId }],
      });
      expect({ role, client: client.errors === undefined, employee: employee.errors === undefined }).toEqual({
        role,
        client: mayClient,
        employee: mayEmployee,
      });
    }
  });
});

describe('every door beside /graphql, and every refusal, as the policy says', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.close();
  });

  const gatewayBase = () => t.gatewayUrl.replace(/\/graphql$/, '');
  const refusals = async () =>
    await auditCollection(t.db('audit'))
      .find({ action: 'refused' }, { sort: { _id: 1 } })
      .toArray();

  it('each route answers 403 exactly to the roles the policy does not name for it, and the refusal is on the trail', async () => {
    const paths = [
      ...supergraphReports(readCommittedSupergraph()).map(reportCsvPath),
      SUBJECT_ACCESS_EXPORT_PATH,
      AUDIT_ENTRIES_PATH,
      MY_RECORD_ACCESS_PATH,
      ALERTS_PATH,
    ];
    for (const path of [...paths, CLOSE_ALERT_PATH]) {
      const rule = routeRuleFor(path);
      expect(rule, path).toBeDefined();
      for (const role of ROLES) {
        const principal = PRINCIPALS[role];
        const before = (await refusals()).length;
        const response = await fetch(`${gatewayBase()}${path}${path.endsWith('.csv') ? `?period=${new Date().toISOString().slice(0, 7)}` : ''}`, {
          method: path === CLOSE_ALERT_PATH ? 'POST' : 'GET',
          headers: { authorization: `Bearer ${await t.token(principal)}`, 'content-type': 'application/json' },
          ...(path === CLOSE_ALERT_PATH ? { body: JSON.stringify({ id: 'none', outcome: 'JUSTIFIED', note: 'probe' }) } : {}),
        });
        const allowed = rule?.access[role] !== undefined;
        expect({ path, role, forbidden: response.status === 403 }).toEqual({ path, role, forbidden: !allowed });
        if (!allowed) {
          const after = await refusals();
          expect(after.length).toBe(before + 1);
          expect(after[after.length - 1]).toMatchObject({ asked: [path], refusal: 'FORBIDDEN', actor: { role } });
        }
      }
    }
  });

  it('a forbidden root field and an invalid id are refused before anything is fetched, and both are on the trail', async () => {
    const hr = PRINCIPALS.hr;
    const keyworker = PRINCIPALS.support_worker;
    const before = (await refusals()).length;
    t.resetCounters();
    const forbidden = await t.query(await t.token(hr), '{ myCaseload { name } }');
    expect(forbidden.body.data).toEqual({ myCaseload: null });
    const invalid = await t.query(await t.token(keyworker), 'query Q($id: ID!) { client(id: $id) { name } }', { id: PERSONAS.sam.clientId });
    expect(invalid.body.errors?.[0]?.message).toBe('Invalid id');
    expect(t.subgraphOperations).toEqual([]);
    const after = (await refusals()).slice(before);
    expect(after.map((entry) => ({ role: entry.actor.role, asked: entry.asked, refusal: entry.refusal }))).toEqual([
      { role: 'hr', asked: ['Query.myCaseload'], refusal: 'FORBIDDEN' },
      { role: 'support_worker', asked: ['Query.client'], refusal: 'BAD_USER_INPUT' },
    ]);
  });
});
