import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { shapeOf } from './support/response-shape.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { dpo, keyworkerOfSam, otherSupportWorker, safeguardingOfficer, sam, teamManagerNorth, teamManagerSouth } from './support/principals.js';

/**
 * docs/INVARIANTS.md#2: a restricted record looks the same from outside the designated
 * circle whatever the reason (service-user employee, refuge resident, witness protection, …),
 * and the reason is never returned outside that circle.
 */

const FULL_CLIENT = /* GraphQL */ `
  query Client($id: ID!) {
    client(id: $id) {
      id name dateOfBirth gender address { line1 postcode } phone services status referredOn closedOn
      team { name } keyworkers { name }
      restriction { reason sealedNote contact { name workPhone } }
      caseNotes { text } homeVisits { startedAt } consents { purpose } disclosures { madeAt } exceptionalDisclosures { reason }
    }
  }
`;

let t: TestStack;
let restricted: ClientDoc[];
beforeAll(async () => {
  t = await startTestStack();
  restricted = await t
    .db('clients')
    .collection<ClientDoc>('clients')
    .find({ teamId: PERSONAS.teams.north, restriction: { $exists: true } })
    .toArray();
});
afterAll(async () => {
  await t.close();
});

async function view(principal: Principal, client: ClientDoc): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), FULL_CLIENT, { id: t.idFor(principal, 'Client', client._id) })).body;
}

describe('restricted records from outside the designated circle', () => {
  it('the seed holds restricted records of every kind in one team (the precondition)', () => {
    const reasons = new Set(restricted.map((client) => client.restriction?.reason));
    expect(reasons).toContain('SERVICE_USER_EMPLOYEE');
    expect(reasons).toContain('REFUGE_RESIDENT');
    expect(reasons.size).toBeGreaterThanOrEqual(3);
  });

  const outsiders: [string, Principal][] = [
    ['a support worker of the same team', otherSupportWorker],
    ['another team manager', teamManagerSouth],
    ['the safeguarding officer', safeguardingOfficer],
    ['the DPO', dpo],
  ];

  it.each(outsiders)('%s sees every restricted client in one identical shape, and no reason', async (_who, principal) => {
    const views = [];
    for (const client of restricted.filter((c) => !c.keyworkerStaffIds.includes(principal.sub))) {
      const body = await view(principal, client);
      const text = JSON.stringify(body);
      expect(text).not.toContain(client.restriction?.reason ?? '-');
      if (client.restriction?.sealedNote) expect(text).not.toContain(client.restriction.sealedNote);
      views.push(shapeOf(body));
    }
    expect(views.length).toBeGreaterThanOrEqual(3);
    for (const shape of views) expect(shape).toEqual(views[0]);
  });

  it('a support worker outside the circle gets the notice: the name and whom to contact', async () => {
    const outsider: Principal = otherSupportWorker;
    const sam = restricted.find((c) => c._id === PERSONAS.sam.clientId) as ClientDoc;
    const body = await view(outsider, sam);
    const client = (body.data as { client: Record<string, unknown> }).client;
    expect(client.name).toBe(PERSONAS.sam.name);
    expect(client.restriction).toEqual({ reason: null, sealedNote: null, contact: { name: 'Morgan Hale', workPhone: expect.any(String) } });
    expect(client.dateOfBirth).toBeNull();
    expect(client.address).toBeNull();
  });
});

describe('the designated circle', () => {
  it("the client's keyworker and team manager see the sealed reason", async () => {
    const sam = restricted.find((c) => c._id === PERSONAS.sam.clientId) as ClientDoc;
    const keyworker: Principal = keyworkerOfSam;
    const manager: Principal = teamManagerNorth;
    for (const principal of [keyworker, manager]) {
      const body = await view(principal, sam);
      expect((body.data as { client: { restriction: { reason: string } } }).client.restriction.reason).toBe('SERVICE_USER_EMPLOYEE');
    }
  });

  it('the person themself sees their record but not the sealed reason', async () => {
    const samRecord = restricted.find((c) => c._id === PERSONAS.sam.clientId) as ClientDoc;
    const body = await view(sam, samRecord);
    const client = (body.data as { client: { dateOfBirth: string; restriction: { reason: string | null; contact: unknown } } }).client;
    expect(client.dateOfBirth).toBe(PERSONAS.sam.dateOfBirth);
    expect(client.restriction.reason).toBeNull();
    expect(client.restriction.contact).not.toBeNull();
  });
});
