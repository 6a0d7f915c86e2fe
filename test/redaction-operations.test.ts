import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { hr, keyworkerOfSam as keyworker, nhsTrust, otherSupportWorker as outsider, teamManagerNorth } from './support/principals.js';

/**
 * docs/INVARIANTS.md#3 and #4 through every shape a GraphQL operation can take: aliases,
 * fragments, inline fragments, variables, @include/@skip, __typename and nested entities all
 * meet the same decisions, and what a role can never see is never asked of a subgraph.
 */

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

async function ask(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

function forbiddenPaths(body: GraphQLResponseBody): string[] {
  return (body.errors ?? [])
    .filter((e) => e.extensions?.code === 'FORBIDDEN')
    .map((e) => (e.path ?? []).join('.'))
    .sort();
}

const samFor = (principal: Principal) => t.idFor(principal, 'Client', PERSONAS.sam.clientId);

/** The client subgraph's operations, without the internal selections rules add. */
function askedOfClients(): string {
  return t.subgraphOperations
    .filter((op) => op.subgraph === 'clients')
    .map((op) => op.query.replace(/_ntk_\w+\s*:\s*\w+(\s*\{[^{}]*\})?/g, ''))
    .join('\n');
}

describe('the same decision whatever the operation looks like', () => {
  const shapes: [string, string][] = [
    ['plain fields', 'query Q($id: ID!) { client(id: $id) { name dateOfBirth } }'],
    ['an alias over a denied field', 'query Q($id: ID!) { client(id: $id) { name dob: dateOfBirth } }'],
    ['an alias named like an allowed field', 'query Q($id: ID!) { client(id: $id) { name: dateOfBirth nm: name } }'],
    ['a named fragment', 'query Q($id: ID!) { client(id: $id) { ...F } } fragment F on Client { name dateOfBirth }'],
    ['an inline fragment', 'query Q($id: ID!) { client(id: $id) { ... on Client { name dateOfBirth } } }'],
    ['nested fragments', 'query Q($id: ID!) { client(id: $id) { ...A } } fragment A on Client { ...B } fragment B on Client { name dateOfBirth }'],
    ['@include(if: true)', 'query Q($id: ID!, $yes: Boolean!) { client(id: $id) { name dateOfBirth @include(if: $yes) } }'],
    ['@skip(if: false)', 'query Q($id: ID!, $no: Boolean!) { client(id: $id) { name dateOfBirth @skip(if: $no) } }'],
    ['the field twice under two aliases', 'query Q($id: ID!) { client(id: $id) { name a: dateOfBirth b: dateOfBirth } }'],
    ['through a nested entity (a consent subject)', 'query Q($id: ID!) { client(id: $id) { name consents { subject { dateOfBirth } } } }'],
  ];

  it.each(shapes)('%s: the keyworker gets the date of birth, another support worker null and FORBIDDEN', async (_shape, query) => {
    const variables = { yes: true, no: false };
    const mine = await ask(keyworker, query, { ...variables, id: samFor(keyworker) });
    expect(mine.errors).toBeUndefined();
    expect(JSON.stringify(mine.data)).toContain(PERSONAS.sam.dateOfBirth);

    t.resetCounters();
    const theirs = await ask(outsider, query, { ...variables, id: samFor(outsider) });
    const text = JSON.stringify(theirs);
    expect(text).not.toContain(PERSONAS.sam.dateOfBirth);
    expect(forbiddenPaths(theirs).length).toBeGreaterThan(0);
    for (const error of theirs.errors ?? []) {
      expect(error).toMatchObject({ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } });
    }
    // The name is the restricted-notice view, allowed to any care staff member.
    expect(text).toContain(PERSONAS.sam.name);
  });

  it('gives the alias its own error path, never the field name', async () => {
    const body = await ask(outsider, 'query Q($id: ID!) { client(id: $id) { secret: dateOfBirth } }', { id: samFor(outsider) });
    expect(forbiddenPaths(body)).toEqual(['client.secret']);
    expect(body.data).toEqual({ client: { secret: null } });
  });

  it('answers __typename wherever it is asked, and nothing else for a denied root', async () => {
    const body = await ask(hr, 'query Q($id: ID!) { __typename client(id: $id) { __typename name } }', { id: samFor(hr) });
    expect(body.data).toEqual({ __typename: 'Query', client: null });
    expect(forbiddenPaths(body)).toEqual(['client']);
  });

  it('does not let @skip/@include hide a denial from the check or a value from the denial', async () => {
    const body = await ask(outsider, 'query Q($id: ID!, $x: Boolean!) { client(id: $id) { dateOfBirth @include(if: $x) } }', {
      id: samFor(outsider),
      x: false,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ client: {} });
  });
});

describe('minimum necessary: a field the role can never see is never fetched', () => {
  it('removes HR-only and client fields from what the subgraphs are asked, for the role that may not see them', async () => {
    t.resetCounters();
    const body = await ask(outsider, '{ myCaseload { name } employees { niNumber payrollNumber } }');
    expect(forbiddenPaths(body)).toContain('employees');
    const asked = t.subgraphOperations.map((op) => op.query).join('\n');
    expect(asked).not.toContain('niNumber');
    expect(asked).not.toContain('payrollNumber');
    expect(t.subgraphOperations.some((op) => op.subgraph === 'hr' && op.query.includes('employees'))).toBe(false);
  });

  it('asks the client subgraph for no denied field even when the client wrote it under an alias or fragment', async () => {
    t.resetCounters();
    await ask(hr, 'query Q($id: ID!) { a: client(id: $id) { ...F } } fragment F on Client { name dateOfBirth address { postcode } }', { id: samFor(hr) });
    expect(t.subgraphRequests.clients).toBe(0);
    t.resetCounters();
    await ask(outsider, 'query Q($id: ID!) { a: client(id: $id) { ...F } } fragment F on Client { name x: dateOfBirth address { postcode } }', {
      id: samFor(outsider),
    });
    const asked = askedOfClients();
    expect(asked).toContain('name');
    // Support workers may see these for their own caseload, so they are fetched and decided per client …
    expect(asked).toContain('dateOfBirth');
    // … but HR-only data never is.
    expect(t.subgraphOperations.some((op) => op.subgraph === 'hr')).toBe(false);
  });

  it('never sends the opaque IDs to a subgraph: they are turned back into raw ids at the gateway', async () => {
    t.resetCounters();
    const token = samFor(keyworker);
    await ask(keyworker, `{ client(id: "${token}") { name } }`);
    const asked = t.subgraphOperations.map((op) => op.query).join('\n');
    expect(asked).not.toContain(token);
    expect(asked).not.toContain(PERSONAS.sam.clientId);
  });
});

describe('opaque per-audience IDs', () => {
  it('are the same within an audience and unrelated across audiences', async () => {
    const manager: Principal = teamManagerNorth;
    const fromKeyworker = ((await ask(keyworker, '{ myCaseload { id name } }')).data as { myCaseload: { id: string; name: string }[] }).myCaseload;
    const fromManager = (
      (await ask(manager, `{ teamCaseload(teamId: "${t.idFor(manager, 'Team', PERSONAS.teams.north)}") { id name } }`)).data as {
        teamCaseload: { id: string; name: string }[];
      }
    ).teamCaseload;
    const samByKeyworker = fromKeyworker.find((c) => c.name === PERSONAS.sam.name)?.id;
    const samByManager = fromManager.find((c) => c.name === PERSONAS.sam.name)?.id;
    expect(samByKeyworker).toBeDefined();
    // care staff share one audience: a manager and a keyworker can talk about the same client
    expect(samByManager).toBe(samByKeyworker);
    const nhs: Principal = nhsTrust;
    const fromNhs = ((await ask(nhs, `{ client(id: "${samFor(nhs)}") { id } }`)).data as { client: { id: string } }).client.id;
    expect(fromNhs).not.toBe(samByKeyworker);
    expect(fromNhs.slice(3, 20)).not.toBe(samByKeyworker?.slice(3, 20));
  });

  it('rejects a raw id, a forged id, an edited id, an id from another audience and an id of another type, alike', async () => {
    const valid = samFor(keyworker);
    const edited = `${valid.slice(0, -2)}${valid.endsWith('AA') ? 'AB' : 'AA'}`;
    const attempts = [
      PERSONAS.sam.clientId,
      'n1_forgedforgedforgedforgedforgedforgedforgedforgedforgedforgedforgedforgedforged',
      edited,
      t.idFor(hr, 'Client', PERSONAS.sam.clientId),
      t.idFor(keyworker, 'Employee', PERSONAS.sam.clientId),
    ];
    const answers = [];
    for (const id of attempts) {
      t.resetCounters();
      const body = await ask(keyworker, 'query Q($id: ID!) { client(id: $id) { name } }', { id });
      expect(t.subgraphRequests.clients).toBe(0);
      answers.push(body);
    }
    // One answer for every kind of bad id: nothing says which check failed.
    for (const body of answers) expect(body).toEqual(answers[0]);
    expect(answers[0]?.errors?.[0]).toMatchObject({ message: 'Invalid id', extensions: { code: 'BAD_USER_INPUT' } });
    // The same rules for an id written inline in the operation.
    const inline = await ask(keyworker, `{ client(id: "${edited}") { name } }`);
    expect(inline).toEqual(answers[0]);
  });

  it('refuses the reserved internal alias prefix', async () => {
    const body = await ask(keyworker, '{ myCaseload { _ntk_keyworkers: name } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('query plans are never shared across roles', () => {
  it('the same operation text gives each role its own answer, whichever role asked first', async () => {
    const query = 'query Same($id: ID!) { client(id: $id) { name dateOfBirth } }';
    for (let round = 0; round < 2; round += 1) {
      const outsiderAnswer = await ask(outsider, query, { id: samFor(outsider) });
      const keyworkerAnswer = await ask(keyworker, query, { id: samFor(keyworker) });
      expect(JSON.stringify(outsiderAnswer)).not.toContain(PERSONAS.sam.dateOfBirth);
      expect((keyworkerAnswer.data as { client: { dateOfBirth: string } }).client.dateOfBirth).toBe(PERSONAS.sam.dateOfBirth);
    }
  });
});

describe('rule evaluation is batched', () => {
  it('a team of many clients costs the same database queries as a caseload of a few', async () => {
    const manager: Principal = teamManagerNorth;
    const query = `{ teamCaseload(teamId: "${t.idFor(manager, 'Team', PERSONAS.teams.north)}") { name dateOfBirth restriction { reason contact { name } } keyworkers { name } consents { active } } }`;
    const reads = async (principal: Principal, q: string) => {
      t.resetCounters();
      const body = await ask(principal, q);
      expect(body.errors).toBeUndefined();
      // The stores' reads: the audit database's own (head hand-over, reconciliation timers) vary with timing, not with the rules.
      const storeReads = t.commands.filter((c) => ['find', 'aggregate', 'getMore'].includes(c.commandName) && c.databaseName !== `${t.prefix}audit`);
      return { size: JSON.stringify(body).length, reads: storeReads.length };
    };
    const team = await reads(manager, query);
    const few = await reads(keyworker, '{ myCaseload { name dateOfBirth restriction { reason contact { name } } keyworkers { name } consents { active } } }');
    expect(team.size).toBeGreaterThan(few.size * 2);
    expect(team.reads).toBeLessThanOrEqual(few.reads);
  });
});
