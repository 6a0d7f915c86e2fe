import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import type { Principal } from '../shield/roles.js';
import type { TrusteeGrantDoc } from '../subgraphs/consent/documents.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import { dpo, keyworkerOfSam as keyworker, otherTrustee, trustee } from './support/principals.js';

/**
 * DESIGN.md "Need to know" (policy 004): trustees see nothing, except the case a DPO granted
 * for a complaint, until the grant expires or is revoked.
 */

const VIEW = 'query C($id: ID!) { client(id: $id) { name dateOfBirth phone address { postcode } caseNotes { text } restriction { reason } } }';

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
const viewOf = async (principal: Principal, clientId: string) =>
  (await ask(principal, VIEW, { id: t.idFor(principal, 'Client', clientId) })).data as { client: Record<string, unknown> | null } | undefined;

const GRANT = `mutation G($subject: ID!, $until: String!) {
  grantTrusteeAccess(trusteeId: "${PERSONAS.trustee}", subjectId: $subject, complaintReference: "COMPLAINT-2026-014", expiresAt: $until) { id active expiresAt }
}`;

describe('trustee access', () => {
  it('a trustee sees nothing without a grant', async () => {
    const view = await viewOf(trustee, PERSONAS.sam.clientId);
    expect(view?.client).toMatchObject({ name: null, dateOfBirth: null, caseNotes: null });
  });

  it('only the DPO grants access', async () => {
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const body = await ask(keyworker, GRANT, { subject: t.idFor(keyworker, 'Client', PERSONAS.sam.clientId), until });
    expect(body.data).toEqual({ grantTrusteeAccess: null });
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('under a grant, the trustee reads that one record (not contact details, not the sealed reason) until it is revoked', async () => {
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const granted = await ask(dpo, GRANT, { subject: t.idFor(dpo, 'Client', PERSONAS.sam.clientId), until });
    expect(granted.errors).toBeUndefined();
    const grant = (granted.data as { grantTrusteeAccess: { id: string; active: boolean } }).grantTrusteeAccess;
    expect(grant.active).toBe(true);

    const view = (await viewOf(trustee, PERSONAS.sam.clientId))?.client;
    expect(view).toMatchObject({ name: PERSONAS.sam.name, dateOfBirth: PERSONAS.sam.dateOfBirth, phone: null, address: null, restriction: null });
    expect(Array.isArray(view?.caseNotes)).toBe(true);

    // Nothing else: another client, or another trustee.
    expect((await viewOf(trustee, PERSONAS.ordinaryClient.clientId))?.client).toMatchObject({ name: null, dateOfBirth: null });
    expect((await viewOf(otherTrustee, PERSONAS.sam.clientId))?.client).toMatchObject({ name: null, dateOfBirth: null });

    const revoked = await ask(dpo, 'mutation R($id: ID!) { revokeTrusteeAccess(id: $id) { active revokedAt } }', { id: grant.id });
    expect((revoked.data as { revokeTrusteeAccess: { active: boolean } }).revokeTrusteeAccess.active).toBe(false);
    expect((await viewOf(trustee, PERSONAS.sam.clientId))?.client).toMatchObject({ name: null, dateOfBirth: null });
  });

  it('an expired grant gives nothing; a grant past the longest allowed is refused', async () => {
    const now = Date.now();
    await t
      .db('consent')
      .collection<TrusteeGrantDoc>('trusteeGrants')
      .insertOne({
        _id: 'tgr_expired_test',
        trusteeId: PERSONAS.trustee,
        subjectClientId: PERSONAS.refugeResident.clientId,
        complaintReference: 'OLD-1',
        grantedByStaffId: PERSONAS.dataProtectionOfficer,
        grantedAt: new Date(now - 30 * 86_400_000),
        expiresAt: new Date(now - 86_400_000),
      });
    expect((await viewOf(trustee, PERSONAS.refugeResident.clientId))?.client).toMatchObject({ name: null });
    const tooLong = await ask(dpo, GRANT, { subject: t.idFor(dpo, 'Client', PERSONAS.sam.clientId), until: new Date(now + 400 * 86_400_000).toISOString() });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
