import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import {
  dpo,
  dutyOfficer as duty,
  hr,
  keyworkerOfSam as keyworker,
  otherSupportWorker as outsider,
  teamManagerNorth as manager,
} from './support/principals.js';

/**
 * DESIGN.md scenarios "Emergency call", "Lone working" and the case-note workflow, end to end
 * through the gateway against the real database, with the negative cases.
 */

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

async function ask(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

const LOOKUP = `query L($name: String!, $dob: String!) {
  emergencyLookup(name: $name, dateOfBirth: $dob, caller: { organisation: "Northshire General A&E", name: "Dr A. Example", reason: "Patient brought in unconscious" }) {
    known contact { name workPhone }
  }
}`;

describe('emergency call: is this person known to us?', () => {
  it('answers yes and whom to contact for Sam (restricted), and nothing more', async () => {
    const body = await ask(duty, LOOKUP, { name: 'sam okafor', dob: PERSONAS.sam.dateOfBirth });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ emergencyLookup: { known: true, contact: { name: 'Morgan Hale', workPhone: expect.any(String) } } });
  });

  it('answers no for someone who is not a current service user, in the same shape', async () => {
    const body = await ask(duty, LOOKUP, { name: 'Nobody Known', dob: '1970-01-01' });
    expect(body.data).toEqual({ emergencyLookup: { known: false, contact: null } });
  });

  it('never hands over the record it found, even when asked for it', async () => {
    const body = await ask(
      duty,
      `query L($dob: String!) { emergencyLookup(name: "Sam Okafor", dateOfBirth: $dob, caller: { organisation: "A&E", name: "Nurse", reason: "Emergency" }) { known client { name dateOfBirth } } }`,
      { dob: PERSONAS.sam.dateOfBirth },
    );
    expect(body.data).toEqual({ emergencyLookup: { known: true, client: null } });
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('is the duty officer’s alone', async () => {
    for (const principal of [keyworker, hr]) {
      const body = await ask(principal, LOOKUP, { name: 'Sam Okafor', dob: PERSONAS.sam.dateOfBirth });
      expect(body.data).toEqual({ emergencyLookup: null });
    }
  });

  it('is audited with who asked and why, and whose record was looked up', async () => {
    await ask(duty, LOOKUP, { name: 'Sam Okafor', dob: PERSONAS.sam.dateOfBirth });
    const entries = await auditCollection(t.db('audit'))
      .find({ 'actor.role': 'duty_officer', action: 'read' }, { sort: { _id: 1 } })
      .toArray();
    const last = entries[entries.length - 1];
    expect(last?.why).toEqual([
      {
        field: 'Query.emergencyLookup',
        argument: 'caller',
        value: { organisation: 'Northshire General A&E', name: 'Dr A. Example', reason: 'Patient brought in unconscious' },
      },
    ]);
    // Sam's record (the answer about Sam, nothing of the record itself) and the contact's staff view.
    const dpoView: Principal = dpo;
    expect(last?.subjects).toEqual(
      expect.arrayContaining([
        {
          type: 'Client',
          ref: t.idFor(dpoView, 'Client', PERSONAS.sam.clientId),
          returned: ['EmergencyLookupResult.contact', 'EmergencyLookupResult.known'],
          denied: [],
        },
        {
          type: 'StaffMember',
          ref: t.idFor(dpoView, 'StaffMember', PERSONAS.teamManagerNorth),
          returned: ['StaffMember.name', 'StaffMember.workPhone'],
          denied: [],
        },
      ]),
    );
  });
});

describe('lone working', () => {
  const VISITS = '{ homeVisitsInProgress { id address { postcode } client { name } worker { name } } }';
  const visibleTo = async (name: string) => JSON.stringify(await ask(duty, VISITS)).includes(name);

  it('the duty officer sees the name and address of a visit while it is in progress, and not after it ends', async () => {
    const alex = t.idFor(keyworker, 'Client', PERSONAS.ordinaryClient.clientId);
    expect(await visibleTo(PERSONAS.ordinaryClient.name)).toBe(false);
    const started = await ask(keyworker, 'mutation S($id: ID!) { startHomeVisit(clientId: $id) { id inProgress } }', { id: alex });
    expect(started.errors).toBeUndefined();
    const visit = (started.data as { startHomeVisit: { id: string; inProgress: boolean } }).startHomeVisit;
    expect(visit.inProgress).toBe(true);

    const during = await ask(duty, VISITS);
    const row = (during.data as { homeVisitsInProgress: { client: { name: string }; address: { postcode: string } | null }[] }).homeVisitsInProgress.find(
      (v) => v.client.name === PERSONAS.ordinaryClient.name,
    );
    expect(row?.address?.postcode).toMatch(/^Q/);

    // Nobody else may end it.
    const byOutsider = await ask(outsider, 'mutation E($id: ID!) { endHomeVisit(visitId: $id) { endedAt } }', { id: visit.id });
    expect(byOutsider.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const ended = await ask(keyworker, 'mutation E($id: ID!) { endHomeVisit(visitId: $id) { inProgress endedAt } }', { id: visit.id });
    expect((ended.data as { endHomeVisit: { inProgress: boolean } }).endHomeVisit.inProgress).toBe(false);
    expect(await visibleTo(PERSONAS.ordinaryClient.name)).toBe(false);
  });

  it('a worker cannot start a visit to a client who is not on their caseload', async () => {
    const body = await ask(outsider, 'mutation S($id: ID!) { startHomeVisit(clientId: $id) { id } }', {
      id: t.idFor(outsider, 'Client', PERSONAS.sam.clientId),
    });
    expect(body.data).toEqual({ startHomeVisit: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('case notes', () => {
  const RECORD = `mutation N($client: ID!, $at: String!, $corrects: ID) {
    recordCaseNote(clientId: $client, occurredAt: $at, venue: "Client's home", text: "Reviewed the support plan together.", correctsNoteId: $corrects) {
      id venue text author { name } corrects { id }
    }
  }`;

  it('the keyworker records a factual note; the team manager sees it; another support worker does not', async () => {
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const body = await ask(keyworker, RECORD, { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at });
    expect(body.errors).toBeUndefined();
    const note = (body.data as { recordCaseNote: { id: string; author: { name: string } } }).recordCaseNote;
    expect(note.author.name).toBe('Riley Ashdown');

    const notesFor = async (principal: Principal) =>
      JSON.stringify(
        (await ask(principal, 'query C($id: ID!) { client(id: $id) { caseNotes { id text } } }', { id: t.idFor(principal, 'Client', PERSONAS.sam.clientId) }))
          .data,
      );
    expect(await notesFor(manager)).toContain(note.id);
    expect(await notesFor(outsider)).not.toContain('Reviewed the support plan together.');

    // Corrections are new notes naming the old one; nothing edits a note in place.
    const correction = await ask(keyworker, RECORD, { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at, corrects: note.id });
    expect((correction.data as { recordCaseNote: { corrects: { id: string } } }).recordCaseNote.corrects.id).toBe(note.id);
  });

  it('refuses notes about someone else’s client, notes about the future, and corrections of another client’s note', async () => {
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const past = new Date(Date.now() - 60_000).toISOString();
    const notMine = await ask(outsider, RECORD, { client: t.idFor(outsider, 'Client', PERSONAS.sam.clientId), at: past });
    expect(notMine.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const ahead = await ask(keyworker, RECORD, { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at: future });
    expect(ahead.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const samNote = await t.db('clients').collection('caseNotes').findOne({ clientId: PERSONAS.sam.clientId });
    const crossed = await ask(keyworker, RECORD, {
      client: t.idFor(keyworker, 'Client', PERSONAS.refugeResident.clientId),
      at: past,
      corrects: t.idFor(keyworker, 'CaseNote', String(samNote?._id)),
    });
    expect(crossed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
