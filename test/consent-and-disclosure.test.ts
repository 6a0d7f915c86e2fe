import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCollection } from '../gateway/audit/audit-log.js';
import type { AuditEntry } from '../gateway/audit/audit-entry.js';
import { verifyChain } from '../gateway/audit/verify-chain.js';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { ConsentDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { alex, dpo, keyworkerOfSam as keyworker, nhsTrust as nhs, safeguardingOfficer as safeguarding, sam } from './support/principals.js';

/**
 * DESIGN.md scenarios "Consent" and "Exceptional disclosure", invariants 5 and 6, end to end:
 * an agency sees what an active, in-period, unwithdrawn consent for its organisation and
 * purpose releases, or what break-glass released to it, and nothing once that ends.
 */

const nhsOtherPurpose: Principal = { ...nhs, purpose: 'mental health assessment' };
const police: Principal = { role: 'external_agency', sub: 'police-user', agency: PERSONAS.agencies.police, purpose: 'safety planning' };
const otherAgency: Principal = { role: 'external_agency', sub: 'council-user', agency: 'Northshire Council', purpose: 'care coordination' };

const SAM_VIEW = 'query C($id: ID!) { client(id: $id) { name dateOfBirth phone address { postcode } services caseNotes { text } } }';

let t: TestStack;
let samClient: { phone: string; postcode: string };
beforeAll(async () => {
  t = await startTestStack();
  const doc = await t.db('clients').collection<ClientDoc>('clients').findOne({ _id: PERSONAS.sam.clientId });
  samClient = { phone: String(doc?.phone), postcode: String(doc?.address?.postcode) };
});
afterAll(async () => {
  await t.close();
});

async function ask(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

async function viewOfSam(principal: Principal): Promise<Record<string, unknown> | null> {
  const body = await ask(principal, SAM_VIEW, { id: t.idFor(principal, 'Client', PERSONAS.sam.clientId) });
  return (body.data as { client: Record<string, unknown> | null } | undefined)?.client ?? null;
}

const released = (view: Record<string, unknown> | null) => ({
  identity: view?.dateOfBirth === PERSONAS.sam.dateOfBirth,
  contact: view?.phone === samClient.phone,
  support: Array.isArray(view?.services),
  notes: Array.isArray(view?.caseNotes),
});

describe('consent before sharing out', () => {
  it('the NHS trust sees what Sam consented to for its purpose: identity and contact, not support or notes', async () => {
    expect(released(await viewOfSam(nhs))).toEqual({ identity: true, contact: true, support: false, notes: false });
  });

  it('the same organisation asking for another purpose, another organisation, or no consent at all sees nothing', async () => {
    for (const principal of [nhsOtherPurpose, otherAgency, police]) {
      expect(released(await viewOfSam(principal))).toEqual({ identity: false, contact: false, support: false, notes: false });
    }
  });

  it('an expired consent releases nothing', async () => {
    const now = Date.now();
    await t
      .db('consent')
      .collection<ConsentDoc>('consents')
      .insertOne({
        _id: 'cns_expired_test',
        subjectClientId: PERSONAS.sam.clientId,
        recipientOrganisation: 'Northshire Council',
        recipientType: 'LOCAL_AUTHORITY',
        purpose: 'care coordination',
        dataCategories: ['IDENTITY'],
        signedBy: 'SUBJECT',
        signedHow: 'PAPER',
        signedAt: new Date(now - 400 * 86_400_000),
        validFrom: new Date(now - 400 * 86_400_000),
        validUntil: new Date(now - 86_400_000),
      });
    expect(released(await viewOfSam(otherAgency)).identity).toBe(false);
  });

  it('Sam withdraws the consent and the very next request sees nothing; Sam gives a new one and it applies at once', async () => {
    const consentId = t.idFor(sam, 'Consent', PERSONAS.samConsentToNhs.consentId);
    const withdrawn = await ask(sam, 'mutation W($id: ID!) { withdrawConsent(consentId: $id) { active withdrawnAt } }', { id: consentId });
    expect(withdrawn.errors).toBeUndefined();
    expect((withdrawn.data as { withdrawConsent: { active: boolean } }).withdrawConsent.active).toBe(false);
    expect(released(await viewOfSam(nhs))).toEqual({ identity: false, contact: false, support: false, notes: false });

    const now = new Date();
    const given = await ask(
      sam,
      `mutation G($subject: ID!, $from: String!, $until: String!) {
        recordConsent(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.nhsTrust}", recipientType: NHS, purpose: "care coordination",
          dataCategories: [IDENTITY], signedBy: SUBJECT, signedHow: ELECTRONIC, signedAt: $from, validFrom: $from, validUntil: $until) { id active dataCategories }
      }`,
      { subject: t.idFor(sam, 'Client', PERSONAS.sam.clientId), from: now.toISOString(), until: new Date(now.getTime() + 86_400_000).toISOString() },
    );
    expect(given.errors).toBeUndefined();
    expect((given.data as { recordConsent: { active: boolean; dataCategories: string[] } }).recordConsent).toMatchObject({
      active: true,
      dataCategories: ['IDENTITY'],
    });
    expect(released(await viewOfSam(nhs))).toEqual({ identity: true, contact: false, support: false, notes: false });
  });

  it('a service user cannot give or withdraw consent for someone else, and an agency cannot at all', async () => {
    const other: Principal = alex;
    const attempt = await ask(other, 'mutation W($id: ID!) { withdrawConsent(consentId: $id) { active } }', {
      id: t.idFor(other, 'Consent', PERSONAS.samConsentToNhs.consentId),
    });
    expect(attempt.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const byAgency = await ask(nhs, 'mutation W($id: ID!) { withdrawConsent(consentId: $id) { active } }', {
      id: t.idFor(nhs, 'Consent', PERSONAS.samConsentToNhs.consentId),
    });
    expect(byAgency.data).toEqual({ withdrawConsent: null });
    expect(byAgency.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('exceptional disclosure (break-glass)', () => {
  const OPEN = `mutation O($subject: ID!, $hours: Int) {
    openExceptionalDisclosure(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.police}", legalBasis: SERIOUS_HARM,
      reason: "Credible threat reported by the client's neighbour; police need to locate the client.", expiresInHours: $hours) {
      id legalBasis dataCategories active expiresAt openedBy { name }
    }
  }`;

  it('needs the safeguarding officer: a support worker cannot open one', async () => {
    const body = await ask(keyworker, OPEN, { subject: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId) });
    expect(body.data).toEqual({ openExceptionalDisclosure: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a reason too short to mean anything, and an expiry past the maximum', async () => {
    const short = await ask(safeguarding, OPEN.replace(/reason: "[^"]+"/, 'reason: "because"'), {
      subject: t.idFor(safeguarding, 'Client', PERSONAS.sam.clientId),
    });
    expect(short.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const long = await ask(safeguarding, OPEN, { subject: t.idFor(safeguarding, 'Client', PERSONAS.sam.clientId), hours: 10_000 });
    expect(long.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('releases only what the basis allows to the named recipient until it is closed; the DPO sees it and it is on the audit trail', async () => {
    expect(released(await viewOfSam(police)).identity).toBe(false);
    const opened = await ask(safeguarding, OPEN, { subject: t.idFor(safeguarding, 'Client', PERSONAS.sam.clientId) });
    expect(opened.errors).toBeUndefined();
    const record = (opened.data as { openExceptionalDisclosure: { id: string; dataCategories: string[]; active: boolean; expiresAt: string } })
      .openExceptionalDisclosure;
    expect(record).toMatchObject({ dataCategories: ['IDENTITY', 'CONTACT'], active: true });
    // The default period is 24 hours (EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS).
    expect(Date.parse(record.expiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(Date.parse(record.expiresAt) - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    // Serious harm releases identity and contact to the police, whatever purpose its token states, and nothing more.
    expect(released(await viewOfSam(police))).toEqual({ identity: true, contact: true, support: false, notes: false });
    expect(released(await viewOfSam(otherAgency)).identity).toBe(false);

    const seenByDpo = await ask(dpo, '{ exceptionalDisclosures { id reason legalBasis subject { id } openedBy { name } } }');
    const rawId = t.rawIdOf(safeguarding, 'ExceptionalDisclosure', record.id);
    expect(rawId).not.toBeNull();
    const listed = (seenByDpo.data as { exceptionalDisclosures: { id: string; legalBasis: string }[] }).exceptionalDisclosures;
    expect(listed.map((d) => d.id)).toContain(t.idFor(dpo, 'ExceptionalDisclosure', rawId as string));

    const trail = await auditCollection(t.db('audit'))
      .find({}, { sort: { _id: 1 } })
      .toArray();
    const opening = trail.filter((e: AuditEntry) => e.changes?.includes('Mutation.openExceptionalDisclosure') && e.actor.ref === PERSONAS.safeguardingOfficer);
    expect(opening.map((e) => e.action)).toEqual(expect.arrayContaining(['change-requested', 'change']));
    expect(await verifyChain(trail)).toMatchObject({ ok: true });

    const closed = await ask(safeguarding, 'mutation C($id: ID!) { closeExceptionalDisclosure(id: $id) { active closedAt } }', { id: record.id });
    expect((closed.data as { closeExceptionalDisclosure: { active: boolean } }).closeExceptionalDisclosure.active).toBe(false);
    expect(released(await viewOfSam(police))).toEqual({ identity: false, contact: false, support: false, notes: false });
  });

  it('an expired disclosure releases nothing', async () => {
    const now = Date.now();
    await t
      .db('consent')
      .collection<ExceptionalDisclosureDoc>('exceptionalDisclosures')
      .insertOne({
        _id: 'exd_expired_test',
        subjectClientId: PERSONAS.sam.clientId,
        recipientOrganisation: 'Northshire Council',
        legalBasis: 'COURT_ORDER',
        reason: 'Court order for the family court hearing.',
        dataCategories: ['IDENTITY', 'CONTACT', 'SUPPORT', 'CASE_NOTES'],
        openedByStaffId: PERSONAS.safeguardingOfficer,
        openedAt: new Date(now - 10 * 86_400_000),
        expiresAt: new Date(now - 86_400_000),
      });
    expect(released(await viewOfSam(otherAgency))).toEqual({ identity: false, contact: false, support: false, notes: false });
  });
});
