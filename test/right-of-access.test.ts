import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { CaseNoteDoc, ClientDoc, HomeVisitDoc } from '../subgraphs/clients/documents.js';
import type { ConsentDoc, DisclosureDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type TestStack } from './support/test-stack.js';
import { keyworkerOfSam, sam } from './support/principals.js';

/**
 * DESIGN.md scenario "Right of access" (policy 002), read live through the API: Sam, as a
 * service user, reads everything the client database and the consent store hold about Sam
 * through the gateway, and who accessed the record. The packaged JSON export, and the DPO's
 * register of requests, are test/subject-access.test.ts.
 */

const EVERYTHING = `query Mine($id: ID!) {
  client(id: $id) {
    id name dateOfBirth gender address { line1 line2 town postcode } phone services status referredOn closedOn
    team { name } keyworkers { name workPhone } restriction { reason contact { name workPhone } }
    caseNotes { occurredAt venue recordedAt text author { name } corrects { id } }
    homeVisits { startedAt endedAt address { postcode } worker { name } }
    consents { recipientOrganisation purpose dataCategories signedAt validFrom validUntil withdrawnAt active }
    disclosures { recipientOrganisation dataCategories madeAt basis }
  }
}`;

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

describe('right of access', () => {
  it('Sam reads their whole record, notes, visits, consents and disclosures — and nobody else’s', async () => {
    const { body } = await t.query(await t.token(sam), EVERYTHING, { id: t.idFor(sam, 'Client', PERSONAS.sam.clientId) });
    const client = (body.data as { client: Record<string, unknown> }).client as {
      name: string;
      dateOfBirth: string;
      phone: string;
      caseNotes: unknown[];
      homeVisits: unknown[];
      consents: { recipientOrganisation: string }[];
      disclosures: unknown[];
      restriction: { reason: string | null; contact: unknown };
    };
    const record = (await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.sam.clientId })) as ClientDoc;
    expect(client).toMatchObject({ name: record.name, dateOfBirth: record.dateOfBirth, phone: record.phone });
    expect(client.caseNotes).toHaveLength(await t.db('clients').collection<CaseNoteDoc>('caseNotes').countDocuments({ clientId: PERSONAS.sam.clientId }));
    expect(client.homeVisits).toHaveLength(await t.db('clients').collection<HomeVisitDoc>('homeVisits').countDocuments({ clientId: PERSONAS.sam.clientId }));
    expect(client.consents).toHaveLength(await t.db('consent').collection<ConsentDoc>('consents').countDocuments({ subjectClientId: PERSONAS.sam.clientId }));
    expect(client.consents.map((c) => c.recipientOrganisation)).toContain(PERSONAS.agencies.nhsTrust);
    expect(client.disclosures).toHaveLength(
      await t.db('consent').collection<DisclosureDoc>('disclosures').countDocuments({ subjectClientId: PERSONAS.sam.clientId }),
    );
    // Only denial: the sealed reason, whose link to employment stays sealed (invariant 2).
    expect(client.restriction.reason).toBeNull();
    expect(body.errors?.map((e) => e.path?.join('.'))).toEqual(['client.restriction.reason']);

    const someoneElse = await t.query(await t.token(sam), EVERYTHING, { id: t.idFor(sam, 'Client', PERSONAS.ordinaryClient.clientId) });
    expect(someoneElse.body.data).toEqual({ client: null });
  });

  it('Sam sees who accessed the record: roles and organisations, when — not which staff', async () => {
    const keyworker: Principal = keyworkerOfSam;
    await t.query(await t.token(keyworker), 'query C($id: ID!) { client(id: $id) { name } }', { id: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) });
    const response = await fetch(new URL('/audit/my-record', t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(sam)}` } });
    const { accesses } = (await response.json()) as { accesses: { role: string; organisation: string }[] };
    expect(accesses).toContainEqual(expect.objectContaining({ role: 'support_worker', organisation: 'the charity' }));
    expect(JSON.stringify(accesses)).not.toContain(PERSONAS.keyworkerOfSam);
  });
});
