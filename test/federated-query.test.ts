import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { hr, keyworkerOfSam, keyworkerOfSamWithTeamClaim, otherSupportWorker, teamManagerNorth } from './support/principals.js';

/** Issue 2's end-to-end query: one request, data joined from all three subgraphs, over real HTTP and a real database. */

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

const CASELOAD = /* GraphQL */ `
  query Caseload {
    myCaseload {
      id
      name
      team { id name service }
      keyworkers { id name workPhone team { name } }
      caseNotes { occurredAt venue author { name } }
      homeVisits { startedAt inProgress }
      consents { recipientOrganisation purpose dataCategories active }
    }
  }
`;

interface CaseloadClient {
  id: string;
  name: string;
  team: { id: string; name: string; service: string } | null;
  keyworkers: { id: string; name: string; workPhone: string | null; team: { name: string } | null }[];
  caseNotes: { occurredAt: string; venue: string; author: { name: string } | null }[];
  homeVisits: { startedAt: string; inProgress: boolean }[];
  consents: { recipientOrganisation: string; purpose: string; dataCategories: string[]; active: boolean }[];
}

describe('a support worker reads their caseload through the gateway', () => {
  it('joins the client database, HR (staff view, teams) and the consent store in one request', async () => {
    const worker = keyworkerOfSamWithTeamClaim;
    const token = await t.token(worker);
    t.resetCounters();
    const { status, body } = await t.query(token, CASELOAD);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const caseload = (body.data as { myCaseload: CaseloadClient[] }).myCaseload;

    // From the clients subgraph: the worker's own caseload, Sam among it.
    const sam = caseload.find((client) => client.id === t.idFor(worker, 'Client', PERSONAS.sam.clientId));
    expect(sam?.name).toBe(PERSONAS.sam.name);
    const keyworkerId = t.idFor(worker, 'StaffMember', PERSONAS.keyworkerOfSam);
    expect(caseload.every((client) => client.keyworkers.some((k) => k.id === keyworkerId))).toBe(true);

    // From HR: the keyworker's minimal staff view and the team, resolved by entity reference.
    expect(sam?.keyworkers.find((k) => k.id === keyworkerId)?.name).toBe('Riley Ashdown');
    expect(sam?.team).toMatchObject({ id: t.idFor(worker, 'Team', PERSONAS.teams.north), service: 'Housing support' });
    expect(sam?.caseNotes.length).toBeGreaterThan(0);
    expect(sam?.caseNotes.every((note) => note.author === null || typeof note.author.name === 'string')).toBe(true);

    // From the consent store: Sam's signed consent to the NHS trust, active now.
    expect(sam?.consents).toContainEqual({
      recipientOrganisation: PERSONAS.agencies.nhsTrust,
      purpose: 'care coordination',
      dataCategories: ['IDENTITY', 'CONTACT'],
      active: true,
    });

    // The refuge resident's visit in progress shows as such.
    const resident = caseload.find((client) => client.id === t.idFor(worker, 'Client', PERSONAS.refugeResident.clientId));
    expect(resident?.homeVisits.some((visit) => visit.inProgress)).toBe(true);

    // Every subgraph was really involved.
    expect(t.subgraphRequests.clients).toBeGreaterThan(0);
    expect(t.subgraphRequests.hr).toBeGreaterThan(0);
    expect(t.subgraphRequests.consent).toBeGreaterThan(0);
  });

  it('gives another support worker their own caseload, without Sam', async () => {
    const other = otherSupportWorker;
    const { body } = await t.query(await t.token(other), '{ myCaseload { id } }');
    const ids = (body.data as { myCaseload: { id: string }[] }).myCaseload.map((client) => client.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).not.toContain(t.idFor(other, 'Client', PERSONAS.sam.clientId));
  });
});

describe('coarse need-to-know at the subgraphs (a second line behind the gateway)', () => {
  it('HR staff read employment data, and Sam is there like any employee', async () => {
    const { body } = await t.query(
      await t.token(hr),
      `{ employee(id: "${t.idFor(hr, 'Employee', PERSONAS.sam.employeeId)}") { name post { title } team { id } contract { type } } }`,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      employee: {
        name: PERSONAS.sam.name,
        post: { title: 'Trainee support worker' },
        team: { id: t.idFor(hr, 'Team', PERSONAS.teams.south) },
        contract: { type: 'TRAINEE' },
      },
    });
  });

  it('HR staff reach no client data', async () => {
    const { body } = await t.query(await t.token(hr), `{ client(id: "${t.idFor(hr, 'Client', PERSONAS.sam.clientId)}") { name } }`);
    expect(body.data).toEqual({ client: null });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(body.errors?.[0]?.message).toBe('Forbidden');
  });

  it('a support worker cannot read HR records', async () => {
    const token = await t.token(keyworkerOfSam);
    const { body } = await t.query(token, '{ employees { name } }');
    expect(body.data).toEqual({ employees: null });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('a team manager may list their own team only', async () => {
    const manager = teamManagerNorth;
    const token = await t.token(manager);
    const own = await t.query(token, `{ teamCaseload(teamId: "${t.idFor(manager, 'Team', PERSONAS.teams.north)}") { id } }`);
    expect(own.body.errors).toBeUndefined();
    expect((own.body.data as { teamCaseload: unknown[] }).teamCaseload.length).toBeGreaterThan(0);
    const other = await t.query(token, `{ teamCaseload(teamId: "${t.idFor(manager, 'Team', PERSONAS.teams.south)}") { id } }`);
    expect(other.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
