import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { CaseNoteDoc, ClientDoc, PersonNameDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import { nameKeys, THIRD_PARTY_PLACEHOLDER as P } from '../subgraphs/clients/third-party-names.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { alex, dpo, keyworkerOfSam as keyworker, nhsTrust as agency, sam, teamManagerNorth as manager, trustee } from './support/principals.js';

/**
 * docs/INVARIANTS.md#12 ("redaction replaces every known person's name the same way") and
 * invariant 1 (an employee who is also a client is never linkable), end to end: case notes
 * naming colleagues, clients, Sam (both) and unknown people, read by every reader outside the
 * care team — the service user through GraphQL and through their export, the DPO's export for a
 * logged request, an agency under consent, a trustee under a DPO's grant. Every known name comes
 * back as the same placeholder, whoever it belongs to; the care team reads the notes as written.
 * The control takes the staff names out of the client database's list (the old, client-names-only
 * knowledge) and the same reads then tell staff from clients. The matcher's own cases are in
 * test/third-party-name-matcher.test.ts.
 */

const AGENCY_PURPOSE = 'care coordination';

const COLLEAGUE_A = 'Casey Pembridge';
const COLLEAGUE_B = 'Quinn Adebayo';
const KEYWORKER = 'Riley Ashdown';
const MANAGER = 'Morgan Hale';
const CLIENT_ALEX = PERSONAS.ordinaryClient.name;
const CLIENT_JORDAN = PERSONAS.refugeResident.name;
const SAM = PERSONAS.sam.name;
const UNKNOWN = 'Pat Quill';
const PLACE = 'Riverside Community Centre';

/** The scenario notes, each written about Sam and about Alex through the API, as the keyworker. */
const SCENARIOS = {
  twoColleagues: `${COLLEAGUE_A} and ${COLLEAGUE_B} ran the group at ${PLACE}.`,
  colleagueAndClient: `${MANAGER} joined us; ${CLIENT_JORDAN} came too.`,
  keyworkerAndClient: `${KEYWORKER} drove ${CLIENT_ALEX} home. Riley said it went well.`,
  sam: `${SAM} helped set up the room.`,
  unknown: `Saw ${UNKNOWN} from Northshire Housing Trust at ${PLACE}.`,
} as const;
type Scenario = keyof typeof SCENARIOS;

/** What an outside reader of a note about `subject` gets: everyone's name but the subject's own goes. */
function expectedFor(subject: 'sam' | 'alex'): Record<Scenario, string> {
  return {
    twoColleagues: `${P} and ${P} ran the group at ${PLACE}.`,
    colleagueAndClient: `${P} joined us; ${P} came too.`,
    keyworkerAndClient: subject === 'alex' ? `${P} drove ${CLIENT_ALEX} home. ${P} said it went well.` : `${P} drove ${P} home. ${P} said it went well.`,
    sam: subject === 'sam' ? SCENARIOS.sam : `${P} helped set up the room.`,
    unknown: SCENARIOS.unknown,
  };
}

/** A note naming one person, in the same words for every person, so the outputs can be compared. */
const sweepNote = (name: string) => `Sweep: met ${name} at ${PLACE}.`;
const SWEPT = `Sweep: met ${P} at ${PLACE}.`;

let t: TestStack;
let staffNames: string[];
let clientNames: string[];

beforeAll(async () => {
  t = await startTestStack();
  staffNames = (
    await t
      .db('hr')
      .collection<EmployeeDoc>('employees')
      .find({}, { projection: { name: 1 } })
      .toArray()
  ).map((e) => e.name);
  clientNames = (
    await t
      .db('clients')
      .collection<ClientDoc>('clients')
      .find({}, { projection: { name: 1 } })
      .toArray()
  ).map((c) => c.name);

  // A second apart and after every seeded note (the newest is ten minutes old), so they read back in this order, last.
  const firstAt = Date.now() - 120_000;
  for (const subject of [PERSONAS.sam.clientId, PERSONAS.ordinaryClient.clientId]) {
    for (const [i, text] of Object.values(SCENARIOS).entries()) {
      const { body } = await t.query(
        await t.token(keyworker),
        'mutation N($client: ID!, $at: String!, $text: String!) { recordCaseNote(clientId: $client, occurredAt: $at, venue: "Community centre", text: $text) { id } }',
        { client: t.idFor(keyworker, 'Client', subject), at: new Date(firstAt + i * 1_000).toISOString(), text },
      );
      expect(body.errors).toBeUndefined();
    }
  }
  // Every name any store holds, each in a note about Sam of its own: written straight into the
  // client database, as the legacy system's own notes would be.
  const now = Date.now();
  const everyName = [...new Set([...staffNames, ...clientNames])];
  await t
    .db('clients')
    .collection<CaseNoteDoc>('caseNotes')
    .insertMany(
      everyName.map((name, i) => ({
        _id: `note_sweep_${i}`,
        clientId: PERSONAS.sam.clientId,
        authorStaffId: PERSONAS.keyworkerOfSam,
        occurredAt: new Date(now - 2 * 86_400_000),
        recordedAt: new Date(now - 86_400_000),
        venue: 'Office',
        text: sweepNote(name),
      })),
    );

  // An agency under consent to read notes, and a trustee under a DPO's grant, for both subjects.
  const until = new Date(now + 7 * 86_400_000).toISOString();
  for (const person of [sam, alex]) {
    const consent = await gql(
      person,
      `mutation C($subject: ID!, $from: String!, $until: String!) { recordConsent(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.nhsTrust}", recipientType: NHS,
        purpose: "${AGENCY_PURPOSE}", dataCategories: [IDENTITY, CASE_NOTES], signedBy: SUBJECT, signedHow: ELECTRONIC, signedAt: $from, validFrom: $from, validUntil: $until) { active } }`,
      { subject: t.idFor(person, 'Client', person.sub), from: new Date(now - 60_000).toISOString(), until },
    );
    expect(consent.errors).toBeUndefined();
    const grant = await gql(
      dpo,
      `mutation G($subject: ID!, $until: String!) { grantTrusteeAccess(trusteeId: "${PERSONAS.trustee}", subjectId: $subject, complaintReference: "COMPLAINT-NAMES", expiresAt: $until) { active } }`,
      { subject: t.idFor(dpo, 'Client', person.sub), until },
    );
    expect(grant.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await t.close();
});

async function gql(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

/** Note texts `reader` gets through GraphQL for one client. */
async function notesViaGraphQL(reader: Principal, clientId: string): Promise<string[]> {
  const body = await gql(reader, 'query C($id: ID!) { client(id: $id) { caseNotes { text } } }', { id: t.idFor(reader, 'Client', clientId) });
  const notes = (body.data as { client: { caseNotes: { text: string }[] | null } | null } | undefined)?.client?.caseNotes;
  if (!notes) throw new Error(`${reader.role} read no notes: ${JSON.stringify(body.errors)}`);
  return notes.map((note) => note.text);
}

async function exportedNotes(principal: Principal, request?: string): Promise<string[]> {
  const url = new URL('/subject-access/export', t.gatewayUrl);
  if (request !== undefined) url.searchParams.set('request', request);
  const response = await fetch(url, { headers: { authorization: `Bearer ${await t.token(principal)}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { subjectAccessExport: { caseNotes: { text: string }[] } }).subjectAccessExport.caseNotes.map((note) => note.text);
}

let samRequest: string | undefined;
async function samExportForDpo(): Promise<string[]> {
  if (samRequest === undefined) {
    const logged = await gql(dpo, 'mutation L($subject: ID!, $on: String!) { logSubjectAccessRequest(subjectId: $subject, receivedOn: $on) { id } }', {
      subject: t.idFor(dpo, 'Client', PERSONAS.sam.clientId),
      on: new Date().toISOString().slice(0, 10),
    });
    samRequest = (logged.data as { logSubjectAccessRequest: { id: string } }).logSubjectAccessRequest.id;
  }
  return exportedNotes(dpo, samRequest);
}

/** Every outside reader's view of one subject's notes, by route. */
function outsideReaders(subject: 'sam' | 'alex'): Record<string, () => Promise<string[]>> {
  const clientId = subject === 'sam' ? PERSONAS.sam.clientId : PERSONAS.ordinaryClient.clientId;
  const self = subject === 'sam' ? sam : alex;
  return {
    'the person, through GraphQL': () => notesViaGraphQL(self, clientId),
    'the person, through GET /subject-access/export': () => exportedNotes(self),
    ...(subject === 'sam' ? { 'the DPO, exporting a logged request': samExportForDpo } : {}),
    'an agency under consent': () => notesViaGraphQL(agency, clientId),
    'a trustee under a DPO grant': () => notesViaGraphQL(trustee, clientId),
  };
}

/** The scenario notes among a subject's notes, by scenario: the newest ones, in the order written. */
function scenarioTexts(texts: string[]): Record<Scenario, string | undefined> {
  const scenarios = Object.keys(SCENARIOS) as Scenario[];
  const newest = texts.filter((text) => !text.startsWith('Sweep:')).slice(-scenarios.length);
  return Object.fromEntries(scenarios.map((scenario, i) => [scenario, newest[i]])) as Record<Scenario, string | undefined>;
}

describe('every known name is replaced the same way, for every outside reader', () => {
  for (const subject of ['sam', 'alex'] as const) {
    for (const [route, read] of Object.entries(outsideReaders(subject))) {
      it(`notes about ${subject === 'sam' ? 'Sam' : 'Alex'}: ${route}`, async () => {
        const texts = await read();
        expect(scenarioTexts(texts)).toEqual(expectedFor(subject));
        const leaked = [COLLEAGUE_A, COLLEAGUE_B, KEYWORKER, MANAGER, CLIENT_JORDAN, subject === 'sam' ? CLIENT_ALEX : SAM].filter((name) =>
          JSON.stringify(texts).includes(name),
        );
        expect(leaked).toEqual([]);
      });
    }
  }

  it('every client’s and every member of staff’s name, in notes about Sam, comes back as the one placeholder', async () => {
    const sweep = (await exportedNotes(sam)).filter((text) => text.startsWith('Sweep:'));
    expect(sweep.length).toBe(new Set([...staffNames, ...clientNames]).size);
    const shapes = new Map<string, number>();
    for (const text of sweep) shapes.set(text, (shapes.get(text) ?? 0) + 1);
    // The only other shape is Sam's own name, kept in Sam's notes although it is also a staff name.
    expect(Object.fromEntries(shapes)).toEqual({ [SWEPT]: sweep.length - 1, [sweepNote(SAM)]: 1 });
  });

  it('all of a request’s notes share one lookup of the names list, however many there are', async () => {
    const personNameReads = () => t.commands.filter((event) => event.commandName === 'find' && event.command.find === 'personNames').length;
    t.resetCounters();
    const exported = await exportedNotes(sam);
    expect(exported.length).toBeGreaterThan(300);
    expect(personNameReads()).toBe(1);
    t.resetCounters();
    await notesViaGraphQL(alex, PERSONAS.ordinaryClient.clientId);
    expect(personNameReads()).toBe(1);
  });
});

describe('the care team reads notes as written', () => {
  for (const [who, reader] of [
    ['keyworker', keyworker],
    ['team manager', manager],
  ] as const) {
    it(`the ${who}`, async () => {
      for (const clientId of [PERSONAS.sam.clientId, PERSONAS.ordinaryClient.clientId]) {
        const texts = await notesViaGraphQL(reader, clientId);
        for (const text of Object.values(SCENARIOS)) expect(texts).toContain(text);
      }
      const swept = (await notesViaGraphQL(reader, PERSONAS.sam.clientId)).filter((text) => text.startsWith('Sweep:'));
      expect(swept).toContain(sweepNote(KEYWORKER));
      expect(swept).not.toContain(SWEPT);
    });
  }
});

describe('control', () => {
  it('with only client names in the list (the old behaviour), the same reads tell staff from clients', async () => {
    const list = t.db('clients').collection<PersonNameDoc>('personNames');
    const clientKeys = new Set(clientNames.flatMap(nameKeys));
    const staffOnly = [...new Set(staffNames.flatMap(nameKeys))].filter((key) => !clientKeys.has(key));
    expect(staffOnly.length).toBeGreaterThan(0);
    expect(clientKeys.has(nameKeys(SAM)[0] ?? '')).toBe(true);
    await list.deleteMany({ _id: { $in: staffOnly } });
    try {
      const texts = await notesViaGraphQL(alex, PERSONAS.ordinaryClient.clientId);
      const got = scenarioTexts(texts);
      expect(got).not.toEqual(expectedFor('alex'));
      // Staff stay, clients (Sam among them) go: exactly what the placeholder must not tell.
      expect(got.colleagueAndClient).toBe(`${MANAGER} joined us; ${P} came too.`);
      expect(got.twoColleagues).toBe(SCENARIOS.twoColleagues);
      expect(got.sam).toBe(`${P} helped set up the room.`);
      const sweep = new Set((await exportedNotes(sam)).filter((text) => text.startsWith('Sweep:')));
      expect(sweep.size).toBeGreaterThan(2);
    } finally {
      await list.insertMany(staffOnly.map((key) => ({ _id: key })));
    }
    expect(scenarioTexts(await notesViaGraphQL(alex, PERSONAS.ordinaryClient.clientId))).toEqual(expectedFor('alex'));
  });
});
