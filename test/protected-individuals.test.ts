import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { ConsentDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import {
  dpo,
  dutyOfficer,
  hr,
  keyworkerOfSam as keyworker,
  nhsTrust as nhs,
  otherSupportWorker,
  safeguardingOfficer,
  teamManagerNorth as manager,
  teamManagerSouth,
  trustee,
} from './support/principals.js';

/**
 * DESIGN.md scenario "Protected individuals" (policy 003): a refuge resident's address is shown
 * to no one outside their keyworker and manager, and to the duty officer only during a visit.
 * Not even a consent releases it.
 */

const outsiders: Principal[] = [otherSupportWorker, teamManagerSouth, dutyOfficer, safeguardingOfficer, dpo, hr, trustee, nhs];

let t: TestStack;
let postcode: string;
beforeAll(async () => {
  t = await startTestStack();
  const resident = await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.refugeResident.clientId });
  postcode = String(resident?.address?.postcode);
  // The resident consented to share contact details and visits with the NHS trust: the address still stays protected.
  const now = Date.now();
  await t
    .db('consent')
    .collection<ConsentDoc>('consents')
    .insertOne({
      _id: 'cns_refuge_contact',
      subjectClientId: PERSONAS.refugeResident.clientId,
      recipientOrganisation: PERSONAS.agencies.nhsTrust,
      recipientType: 'NHS',
      purpose: 'care coordination',
      dataCategories: ['IDENTITY', 'CONTACT', 'HOME_VISITS'],
      signedBy: 'SUBJECT',
      signedHow: 'PAPER',
      signedAt: new Date(now - 86_400_000),
      validFrom: new Date(now - 86_400_000),
      validUntil: new Date(now + 86_400_000),
    });
});
afterAll(async () => {
  await t.close();
});

async function seesAddress(principal: Principal): Promise<string> {
  const { body } = await t.query(
    await t.token(principal),
    'query C($id: ID!) { client(id: $id) { name phone address { postcode } homeVisits { address { postcode } } } }',
    {
      id: t.idFor(principal, 'Client', PERSONAS.refugeResident.clientId),
    },
  );
  return JSON.stringify(body);
}

describe("a refuge resident's address", () => {
  it('is seen by their keyworker and their team manager', async () => {
    expect(postcode).toMatch(/^Q/);
    expect(await seesAddress(keyworker)).toContain(postcode);
    expect(await seesAddress(manager)).toContain(postcode);
  });

  it('is seen by no one else, not even an agency the resident consented to share contact details with', async () => {
    for (const principal of outsiders) expect(await seesAddress(principal), principal.role).not.toContain(postcode);
    // The consent does release what it covers that is not the address.
    expect(await seesAddress(nhs)).toContain(PERSONAS.refugeResident.name);
  });

  it('is seen by the duty officer on the visit in progress, and not once it has ended', async () => {
    const duty: Principal = dutyOfficer;
    const visits = async () => JSON.stringify((await t.query(await t.token(duty), '{ homeVisitsInProgress { address { postcode } client { name } } }')).body);
    expect(await visits()).toContain(postcode);
    const { body } = await t.query(await t.token(keyworker), 'mutation E($id: ID!) { endHomeVisit(visitId: $id) { inProgress } }', {
      id: t.idFor(keyworker, 'HomeVisit', PERSONAS.visitInProgress.visitId),
    });
    expect(body.errors).toBeUndefined();
    expect(await visits()).not.toContain(postcode);
  });
});
