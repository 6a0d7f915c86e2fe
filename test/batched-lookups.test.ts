import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientDoc, CaseNoteDoc } from '../subgraphs/clients/documents.js';
import type { ConsentDoc } from '../subgraphs/consent/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import { PERSONAS } from '../seed/personas.js';
import { startTestStack, type TestStack } from './support/test-stack.js';

/**
 * Issue 2: every entity lookup is batched, so a caseload costs a bounded number of database
 * queries whatever its size. Counted with the driver's command monitoring on the very
 * client the subgraphs use.
 */

const CASELOAD = /* GraphQL */ `
  {
    myCaseload {
      id
      name
      keyworkers { name team { name } }
      caseNotes { venue author { name workPhone } }
      consents { recipientOrganisation active }
      disclosures { madeAt }
    }
  }
`;

/** Reads only: finds, aggregates and cursor continuations. */
const READ_COMMANDS = new Set(['find', 'aggregate', 'getMore', 'count']);

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
  await addWorkerWithCaseload('stf_9010', 10);
  await addWorkerWithCaseload('stf_9050', 50);
  await addWorkerWithCaseload('stf_9500', 500);
});
afterAll(async () => {
  await t.close();
});

async function addWorkerWithCaseload(staffId: string, size: number): Promise<void> {
  const template = await t.db('hr').collection<EmployeeDoc>('employees').findOne({ staffId: PERSONAS.otherSupportWorker });
  if (!template) throw new Error('seeded support worker missing');
  await t
    .db('hr')
    .collection<EmployeeDoc>('employees')
    .insertOne({
      ...template,
      _id: `emp_test_${staffId}`,
      staffId,
      payrollNumber: `TEST-${staffId}`,
      name: `Test Worker ${staffId}`,
    });
  const clients: ClientDoc[] = [];
  const notes: CaseNoteDoc[] = [];
  const consents: ConsentDoc[] = [];
  const now = Date.now();
  for (let i = 0; i < size; i += 1) {
    const clientId = `cli_test_${staffId}_${i}`;
    clients.push({
      _id: clientId,
      name: `Test Client ${i}`,
      services: ['Housing support'],
      status: 'OPEN',
      referredOn: '2025-01-01',
      teamId: PERSONAS.teams.north,
      keyworkerStaffIds: [staffId, PERSONAS.keyworkerOfSam],
    });
    for (let n = 0; n < 3; n += 1) {
      notes.push({
        _id: `note_test_${staffId}_${i}_${n}`,
        clientId,
        authorStaffId: n === 2 ? PERSONAS.keyworkerOfSam : staffId,
        occurredAt: new Date(now - (n + 2) * 86_400_000),
        recordedAt: new Date(now - (n + 1) * 86_400_000),
        venue: 'Office',
        text: 'Met to review the support plan.',
      });
    }
    for (const organisation of [PERSONAS.agencies.nhsTrust, 'Northshire Council']) {
      consents.push({
        _id: `cns_test_${staffId}_${i}_${organisation.length}`,
        subjectClientId: clientId,
        recipientOrganisation: organisation,
        recipientType: 'NHS',
        purpose: 'care coordination',
        dataCategories: ['CONTACT'],
        signedBy: 'SUBJECT',
        signedHow: 'PAPER',
        signedAt: new Date(now - 86_400_000),
        validFrom: new Date(now - 86_400_000),
        validUntil: new Date(now + 86_400_000),
      });
    }
  }
  await t.db('clients').collection<ClientDoc>('clients').insertMany(clients);
  await t.db('clients').collection<CaseNoteDoc>('caseNotes').insertMany(notes);
  await t.db('consent').collection<ConsentDoc>('consents').insertMany(consents);
}

async function readsForCaseloadOf(staffId: string): Promise<{ clients: number; reads: Record<string, number> }> {
  const token = await t.token({ role: 'support_worker', sub: staffId });
  t.resetCounters();
  const { body } = await t.query(token, CASELOAD);
  expect(body.errors).toBeUndefined();
  const caseload = (body.data as { myCaseload: { caseNotes: unknown[]; consents: unknown[]; keyworkers: { name: string }[] }[] }).myCaseload;
  // The data really came back: the counts below are not from an empty or failed query.
  expect(caseload.every((client) => client.caseNotes.length === 3 && client.consents.length === 2 && client.keyworkers.length === 2)).toBe(true);
  const reads: Record<string, number> = {};
  for (const event of t.commands.filter((e) => READ_COMMANDS.has(e.commandName))) {
    const collection = String(event.commandName === 'getMore' ? event.command.collection : event.command[event.commandName]);
    const database = event.databaseName.slice(t.prefix.length);
    // The audit trail is one append per request whatever its size (test/audit-trail.test.ts).
    if (database === 'audit') continue;
    const key = `${database}.${collection}`;
    reads[key] = (reads[key] ?? 0) + 1;
  }
  return { clients: caseload.length, reads };
}

describe('batched entity lookups', () => {
  it('a caseload of 500, with every per-client redaction rule evaluated, costs the same queries as one of 10', async () => {
    const small = await readsForCaseloadOf('stf_9010');
    const huge = await readsForCaseloadOf('stf_9500');
    expect(huge.clients).toBe(500);
    expect(huge.reads).toEqual(small.reads);
  });

  it('a caseload of 50 with notes, authors, keyworkers, teams and consents costs the same queries as one of 10', async () => {
    const small = await readsForCaseloadOf('stf_9010');
    const large = await readsForCaseloadOf('stf_9050');
    expect(small.clients).toBe(10);
    expect(large.clients).toBe(50);
    expect(large.reads).toEqual(small.reads);
    // One query per entity type per subgraph fetch: caseload, notes, staff, teams, consents, disclosures.
    const total = Object.values(large.reads).reduce((sum, n) => sum + n, 0);
    expect(total).toBeLessThanOrEqual(8);
    for (const [collection, count] of Object.entries(large.reads)) {
      expect.soft(count, collection).toBeLessThanOrEqual(2);
    }
  });
});
