import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { CaseNoteDoc, ClientDoc, HomeVisitDoc } from '../subgraphs/clients/documents.js';
import type { ConsentDoc, DisclosureDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { subjectAccessDueOn } from '../subgraphs/consent/subject-access-due-date.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { alex, dpo, hr, keyworkerOfSam as keyworker, safeguardingOfficer as safeguarding, sam } from './support/principals.js';

/**
 * Subject access (UK GDPR Article 15; DESIGN.md scenario "Right of access", policy 002):
 * Sam's own JSON export, the DPO's register of requests and the export for a logged request,
 * and what an export must never carry: another person's data, staff, internal ids, or the
 * sealed reason's link to Sam's employment.
 */

interface Export {
  producedAt: string;
  request?: { receivedOn: string; dueOn: string; status: string };
  record: { name: string; dateOfBirth: string; phone: string; services: string[]; restricted: boolean };
  caseNotes: { text: string; occurredAt: string }[];
  homeVisits: unknown[];
  consents: { recipientOrganisation: string }[];
  disclosures: unknown[];
  exceptionalDisclosures: { recipientOrganisation: string; legalBasis: string }[];
  accesses: { at: string; action: string; role: string; organisation: string }[];
}

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
  // Something for the export to show: a note naming other clients and a colleague, and a break-glass about Sam.
  const note = await t.query(
    await t.token(keyworker),
    `mutation N($client: ID!, $at: String!) { recordCaseNote(clientId: $client, occurredAt: $at, venue: "Community centre",
      text: "Sam Okafor came to the cooking group with Alex Marsh and Jordan Ellery, run by Casey Pembridge. Alex Marsh offered Sam a lift home.") { id } }`,
    { client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), at: new Date(Date.now() - 3_600_000).toISOString() },
  );
  expect(note.body.errors).toBeUndefined();
  const disclosure = await t.query(
    await t.token(safeguarding),
    `mutation O($subject: ID!) { openExceptionalDisclosure(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.police}", legalBasis: SERIOUS_HARM,
      reason: "Neighbour Pat Quill reported a credible threat to Sam.") { id } }`,
    { subject: t.idFor(safeguarding, 'Client', PERSONAS.sam.clientId) },
  );
  expect(disclosure.body.errors).toBeUndefined();
  const visit = await t.query(await t.token(keyworker), 'mutation S($client: ID!) { startHomeVisit(clientId: $client) { id } }', {
    client: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId),
  });
  const visitId = (visit.body.data as { startHomeVisit: { id: string } }).startHomeVisit.id;
  const ended = await t.query(await t.token(keyworker), 'mutation E($visit: ID!) { endHomeVisit(visitId: $visit) { endedAt } }', { visit: visitId });
  expect(ended.body.errors).toBeUndefined();
});
afterAll(async () => {
  await t.close();
});

async function exportFor(
  principal: Principal,
  request?: string,
): Promise<{ status: number; body: { subjectAccessExport?: Export; errors?: { extensions: { code: string } }[] } }> {
  const url = new URL('/subject-access/export', t.gatewayUrl);
  if (request !== undefined) url.searchParams.set('request', request);
  const response = await fetch(url, { headers: { authorization: `Bearer ${await t.token(principal)}` } });
  return { status: response.status, body: (await response.json()) as { subjectAccessExport?: Export } };
}

async function gql(principal: Principal, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

const today = () => new Date().toISOString().slice(0, 10);
const LOG = 'mutation L($subject: ID!, $on: String!) { logSubjectAccessRequest(subjectId: $subject, receivedOn: $on) { id receivedOn dueOn status overdue } }';

describe("a service user's own export", () => {
  it('holds everything both databases hold about Sam: record, notes, visits, consents, disclosures, break-glass, accesses', async () => {
    const { status, body } = await exportFor(sam);
    expect(status).toBe(200);
    const exported = body.subjectAccessExport as Export;
    const record = (await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.sam.clientId })) as ClientDoc;
    expect(exported.record).toMatchObject({
      name: record.name,
      dateOfBirth: record.dateOfBirth,
      phone: record.phone,
      services: record.services,
      restricted: true,
    });
    const count = (database: 'clients' | 'consent', collection: string, filter: Record<string, unknown>) =>
      t.db(database).collection(collection).countDocuments(filter);
    expect(exported.homeVisits.length).toBeGreaterThan(0);
    expect(exported.caseNotes).toHaveLength(await count('clients', 'caseNotes', { clientId: PERSONAS.sam.clientId } satisfies Partial<CaseNoteDoc>));
    expect(exported.homeVisits).toHaveLength(await count('clients', 'homeVisits', { clientId: PERSONAS.sam.clientId } satisfies Partial<HomeVisitDoc>));
    expect(exported.consents).toHaveLength(await count('consent', 'consents', { subjectClientId: PERSONAS.sam.clientId } satisfies Partial<ConsentDoc>));
    expect(exported.consents.map((c) => c.recipientOrganisation)).toContain(PERSONAS.agencies.nhsTrust);
    expect(exported.disclosures).toHaveLength(
      await count('consent', 'disclosures', { subjectClientId: PERSONAS.sam.clientId } satisfies Partial<DisclosureDoc>),
    );
    expect(exported.exceptionalDisclosures).toHaveLength(
      await count('consent', 'exceptionalDisclosures', { subjectClientId: PERSONAS.sam.clientId } satisfies Partial<ExceptionalDisclosureDoc>),
    );
    expect(exported.exceptionalDisclosures).toContainEqual(
      expect.objectContaining({ recipientOrganisation: PERSONAS.agencies.police, legalBasis: 'SERIOUS_HARM' }),
    );
    // The keyworker recorded a note above: that access is listed, by role and organisation.
    expect(exported.accesses).toContainEqual(expect.objectContaining({ role: 'support_worker', organisation: 'the charity' }));
  });

  it('replaces other clients and staff named in a note alike, keeps Sam’s own name, and care staff still read the note as written', async () => {
    const exported = (await exportFor(sam)).body.subjectAccessExport as Export;
    const note = exported.caseNotes.find((n) => n.text.includes('cooking group'));
    expect(note?.text).toBe(
      'Sam Okafor came to the cooking group with [another person] and [another person], run by [another person]. [another person] offered Sam a lift home.',
    );
    // The same rule when Sam reads the notes through GraphQL.
    const read = await gql(sam, 'query C($id: ID!) { client(id: $id) { caseNotes { text } } }', { id: t.idFor(sam, 'Client', PERSONAS.sam.clientId) });
    const texts = (read.data as { client: { caseNotes: { text: string }[] } }).client.caseNotes.map((n) => n.text);
    expect(texts).toContain(note?.text);
    expect(JSON.stringify(texts)).not.toMatch(/Alex Marsh|Jordan Ellery|Casey Pembridge/);
    const asWritten = await gql(keyworker, 'query C($id: ID!) { client(id: $id) { caseNotes { text } } }', {
      id: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId),
    });
    expect(JSON.stringify(asWritten.data)).toContain('with Alex Marsh and Jordan Ellery, run by Casey Pembridge');
  });

  it('carries no staff, no internal id, no break-glass reason and nothing of Sam’s employment', async () => {
    const text = JSON.stringify((await exportFor(sam)).body);
    const record = (await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.sam.clientId })) as ClientDoc;
    const employee = (await t.db('hr').collection<EmployeeDoc>('employees').findOne({ _id: PERSONAS.sam.employeeId })) as EmployeeDoc;
    expect(text).not.toMatch(/\b(cli|stf|emp|cns|dsc|exd|hv|cn|note|sar|team|post|tgr)_[0-9a-z]+/);
    expect(text).not.toMatch(/n1_/); // not even opaque ids
    expect(text).not.toContain('SERVICE_USER_EMPLOYEE');
    expect(text).not.toContain(record.restriction?.sealedNote ?? 'no sealed note');
    expect(text).not.toContain('Pat Quill');
    for (const value of [employee.payrollNumber, employee.niNumber, employee.homeAddress.postcode, employee.startDate]) expect(text).not.toContain(value);
    expect(text).not.toMatch(/employ|payroll|trainee/i);
    const staff = await t
      .db('hr')
      .collection<EmployeeDoc>('employees')
      .find({ _id: { $ne: PERSONAS.sam.employeeId } }, { projection: { name: 1 } })
      .toArray();
    for (const member of staff) expect(text, member.name).not.toContain(member.name);
  });

  it('does not list HR reading Sam’s employee record among the accesses to Sam’s client record', async () => {
    const read = await gql(hr, 'query E($id: ID!) { employee(id: $id) { name payrollNumber } }', { id: t.idFor(hr, 'Employee', PERSONAS.sam.employeeId) });
    expect((read.data as { employee: { name: string } }).employee.name).toBe(PERSONAS.sam.name);
    const exported = (await exportFor(sam)).body.subjectAccessExport as Export;
    expect(exported.accesses.map((a) => a.role)).not.toContain('hr');
    // The DPO's trail does hold that read, under the employee's own id, which is not Sam's client id.
    const hrReads = await t.db('audit').collection<AuditEntry>('entries').find({ 'actor.role': 'hr' }).toArray();
    expect(hrReads.some((e) => e.subjects.some((s) => s.type === 'Employee'))).toBe(true);
  });

  it('is only ever the caller’s own: Alex gets Alex’s, and a request id changes nothing', async () => {
    const mine = (await exportFor(alex, 'anything')).body.subjectAccessExport as Export;
    expect(mine.record.name).toBe(PERSONAS.ordinaryClient.name);
    const disclosures = await t.db('consent').collection<DisclosureDoc>('disclosures').countDocuments({ subjectClientId: PERSONAS.ordinaryClient.clientId });
    expect(disclosures).toBeGreaterThan(0);
    expect(mine.disclosures).toHaveLength(disclosures);
    expect(JSON.stringify(mine)).not.toContain(PERSONAS.sam.name);
  });
});

describe("the DPO's register of subject access requests", () => {
  it('logs a request with its due date one calendar month later, and produces the same export for that subject', async () => {
    const logged = await gql(dpo, LOG, { subject: t.idFor(dpo, 'Client', PERSONAS.sam.clientId), on: today() });
    expect(logged.errors).toBeUndefined();
    const request = (logged.data as { logSubjectAccessRequest: { id: string; receivedOn: string; dueOn: string; status: string; overdue: boolean } })
      .logSubjectAccessRequest;
    expect(request).toMatchObject({ receivedOn: today(), dueOn: subjectAccessDueOn(today()), status: 'OPEN', overdue: false });

    const { status, body } = await exportFor(dpo, request.id);
    expect(status).toBe(200);
    const forDpo = body.subjectAccessExport as Export;
    const own = (await exportFor(sam)).body.subjectAccessExport as Export;
    const content = ({ producedAt: _p, accesses: _a, request: _r, ...rest }: Export) => rest;
    expect(content(forDpo)).toEqual(content(own));
    expect(forDpo.request).toEqual({ receivedOn: today(), dueOn: request.dueOn, status: 'OPEN' });

    // Producing it is on the trail: the DPO, Sam as subject, and the request it was for.
    const entries = await t.db('audit').collection<AuditEntry>('entries').find({ 'actor.role': 'data_protection_officer', action: 'read' }).toArray();
    const samRef = t.idFor(dpo, 'Client', PERSONAS.sam.clientId);
    expect(
      entries.some(
        (e) => e.subjects.some((s) => s.ref === samRef && s.returned.includes('ExportedCaseNote.text')) && e.why?.some((w) => w.value === request.id),
      ),
    ).toBe(true);
  });

  it('lists overdue requests, and a completed request is no longer overdue', async () => {
    const LIST =
      'query R($overdue: Boolean!) { subjectAccessRequests(overdueOnly: $overdue) { id subject { id } receivedOn dueOn status overdue completedAt } }';
    type Row = { id: string; subject: { id: string }; dueOn: string; status: string; overdue: boolean; completedAt: string | null };
    const overdue = ((await gql(dpo, LIST, { overdue: true })).data as { subjectAccessRequests: Row[] }).subjectAccessRequests;
    const alexRef = t.idFor(dpo, 'Client', PERSONAS.ordinaryClient.clientId);
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((r) => r.overdue && r.status === 'OPEN' && r.dueOn < today())).toBe(true);
    const alexRequest = overdue.find((r) => r.subject.id === alexRef) as Row;
    expect(alexRequest).toBeDefined();
    const all = ((await gql(dpo, LIST, { overdue: false })).data as { subjectAccessRequests: Row[] }).subjectAccessRequests;
    expect(all.some((r) => r.status === 'COMPLETED' && r.completedAt !== null && !r.overdue)).toBe(true);
    expect(all.length).toBeGreaterThan(overdue.length);

    const done = await gql(dpo, 'mutation C($id: ID!) { completeSubjectAccessRequest(id: $id) { status overdue completedAt } }', { id: alexRequest.id });
    expect(done.data).toEqual({ completeSubjectAccessRequest: { status: 'COMPLETED', overdue: false, completedAt: expect.any(String) } });
    const after = ((await gql(dpo, LIST, { overdue: true })).data as { subjectAccessRequests: Row[] }).subjectAccessRequests;
    expect(after.map((r) => r.id)).not.toContain(alexRequest.id);
  });

  it('refuses a receipt date that is not a real day or is in the future', async () => {
    const subject = t.idFor(dpo, 'Client', PERSONAS.sam.clientId);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    for (const on of ['2026-02-30', '02/12/2026', tomorrow]) {
      const body = await gql(dpo, LOG, { subject, on });
      expect(body.data).toEqual({ logSubjectAccessRequest: null });
      expect(body.errors?.[0]?.extensions?.code, on).toBe('BAD_USER_INPUT');
    }
  });
});

describe('who may not', () => {
  it('other roles cannot log, list or export; the DPO needs a logged request; a forged request id is refused', async () => {
    for (const principal of [keyworker, safeguarding, sam, hr]) {
      const listed = await gql(principal, '{ subjectAccessRequests { id } }');
      expect(listed.data, principal.role).toEqual({ subjectAccessRequests: null });
      if (principal.role !== 'service_user') expect((await exportFor(principal)).status, principal.role).toBe(403);
    }
    const logged = await gql(keyworker, LOG, { subject: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), on: today() });
    expect(logged.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await exportFor(dpo)).status).toBe(400);
    const forged = await exportFor(dpo, 'n1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([400, 403]).toContain(forged.status);
    expect(forged.body.subjectAccessExport).toBeUndefined();
    // A request id minted for another audience names nothing for the DPO.
    const sarId = String(
      (
        await t
          .db('consent')
          .collection<{ _id: string; subjectClientId: string }>('subjectAccessRequests')
          .findOne({ subjectClientId: PERSONAS.refugeResident.clientId })
      )?._id,
    );
    const borrowed = await exportFor(dpo, t.idFor(keyworker, 'SubjectAccessRequest', sarId));
    expect(borrowed.body.subjectAccessExport).toBeUndefined();
  });

  it('the DPO gains no access to the client record itself, and a service user has no way to the export types but their own', async () => {
    const record = await gql(dpo, 'query C($id: ID!) { client(id: $id) { caseNotes { text } homeVisits { startedAt } } }', {
      id: t.idFor(dpo, 'Client', PERSONAS.sam.clientId),
    });
    expect(record.data).toEqual({ client: { caseNotes: null, homeVisits: null } });
    const viaRequest = await gql(sam, '{ subjectAccessRequests { export { record { name } } } }');
    expect(viaRequest.data).toEqual({ subjectAccessRequests: null });
    const notTheDpo = await gql(dpo, '{ mySubjectAccessExport { record { name } } }');
    expect(notTheDpo.data).toEqual({ mySubjectAccessExport: null });
  });
});
