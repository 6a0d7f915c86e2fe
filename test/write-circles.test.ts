import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSchema, type GraphQLObjectType } from 'graphql';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { readCommittedSupergraph } from '../gateway/supergraph/compose.js';
import { PERSONAS } from '../seed/personas.js';
import type { ConditionName } from '../shield/conditions.js';
import { MUTATIONS } from '../shield/policy.js';
import { ROLES, type Principal, type Role } from '../shield/roles.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import {
  alex,
  dpo,
  dutyOfficer,
  hr,
  keyworkerOfSam,
  nhsTrust,
  otherSupportWorker,
  otherSupportWorkerWithTeamClaim,
  reporting,
  safeguardingOfficer,
  sam,
  teamManagerNorth,
  teamManagerSouth,
  trustee,
} from './support/principals.js';

/**
 * docs/INVARIANTS.md#10: a change about a person is accepted only from the roles and the
 * circle the policy gives for it, checked before it is forwarded, whichever subgraph stores it.
 * Every change of the API × every role × a principal inside and outside the subject's circle,
 * about Sam (a restricted client of the north team, keyworker stf_0002). The circle each
 * principal stands in is written here from the seeded personas, not from the policy's code.
 */

const SAM = PERSONAS.sam.clientId;
const HOUR = 3_600_000;

interface Actor {
  readonly label: string;
  readonly principal: Principal;
  /** Where this principal stands relative to Sam. */
  readonly relation: { readonly keyworker: boolean; readonly inTeam: boolean; readonly themself: boolean };
}

const OUTSIDE = { keyworker: false, inTeam: false, themself: false } as const;

/** Two principals per role where a circle exists (one inside, one outside), one otherwise. */
const ACTORS: readonly Actor[] = [
  { label: "Sam's keyworker", principal: keyworkerOfSam, relation: { ...OUTSIDE, keyworker: true } },
  {
    label: 'another support worker of the same team',
    principal: otherSupportWorkerWithTeamClaim,
    relation: OUTSIDE,
  },
  {
    label: 'the north team manager',
    principal: teamManagerNorth,
    relation: { ...OUTSIDE, inTeam: true },
  },
  { label: 'the south team manager', principal: teamManagerSouth, relation: OUTSIDE },
  { label: 'Sam', principal: sam, relation: { ...OUTSIDE, themself: true } },
  { label: 'another service user', principal: alex, relation: OUTSIDE },
  { label: 'the duty officer', principal: dutyOfficer, relation: OUTSIDE },
  { label: 'HR', principal: hr, relation: OUTSIDE },
  { label: 'the safeguarding officer', principal: safeguardingOfficer, relation: OUTSIDE },
  { label: 'the DPO', principal: dpo, relation: OUTSIDE },
  { label: 'a trustee', principal: trustee, relation: OUTSIDE },
  { label: 'the reporting tool', principal: reporting, relation: OUTSIDE },
  {
    label: 'the NHS trust',
    principal: nhsTrust,
    relation: OUTSIDE,
  },
];

/** What each condition a change may carry means for a principal's relation to the subject. */
const HOLDS: Partial<Record<ConditionName, (relation: Actor['relation']) => boolean>> = {
  onCaseload: (r) => r.keyworker,
  inTeam: (r) => r.inTeam,
  themself: (r) => r.themself,
};

function expectedAccepted(mutation: string, actor: Actor): boolean {
  const grant = MUTATIONS[mutation]?.access[actor.principal.role];
  if (grant === undefined) return false;
  if (grant === 'always') return true;
  const names: readonly ConditionName[] = typeof grant === 'string' ? [grant] : grant;
  return names.some((name) => {
    const holds = HOLDS[name];
    if (!holds) throw new Error(`no expectation for condition ${name} on a change: add it to HOLDS`);
    return holds(actor.relation);
  });
}

let t: TestStack;
const keyworker = ACTORS[0]!.principal;
const safeguarding = ACTORS[8]!.principal;

async function ask(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

/** Makes a record as someone allowed to, and returns its raw id (to hand to another principal as their opaque id). */
async function made(principal: Principal, query: string, variables: Record<string, unknown>, type: string): Promise<string> {
  const body = await ask(principal, query, variables);
  expect(body.errors).toBeUndefined();
  const token = Object.values(body.data ?? {})[0] as { id: string };
  const raw = t.rawIdOf(principal, type, token.id);
  if (raw === null) throw new Error(`could not make a ${type}`);
  return raw;
}

const future = () => new Date(Date.now() + 30 * 24 * HOUR).toISOString();
const past = () => new Date(Date.now() - HOUR).toISOString();

/** One valid change about Sam per mutation of the API: the operation, its variables, and how to count its effect. */
interface ChangeCase {
  readonly query: string;
  variables(actor: Principal): Promise<Record<string, unknown>>;
  /** Records in the store that this change, if made, adds to or stamps. */
  effect(): Promise<number>;
}

const CONSENT = `mutation C($subject: ID!, $from: String!, $until: String!) {
  recordConsent(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.nhsTrust}", recipientType: NHS, purpose: "care coordination",
    dataCategories: [IDENTITY, CONTACT, CASE_NOTES], signedBy: SUBJECT, signedHow: ELECTRONIC, signedAt: $from, validFrom: $from, validUntil: $until) { id }
}`;
const OPEN_EXCEPTIONAL = `mutation O($subject: ID!) { openExceptionalDisclosure(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.police}",
  legalBasis: SERIOUS_HARM, reason: "Credible threat reported; police need to locate the client.") { id } }`;
const GRANT = `mutation G($subject: ID!, $until: String!) { grantTrusteeAccess(trusteeId: "${PERSONAS.trustee}", subjectId: $subject, complaintReference: "WRITE-CIRCLES", expiresAt: $until) { id } }`;
const LOG_REQUEST = `mutation L($subject: ID!, $on: String!) { logSubjectAccessRequest(subjectId: $subject, receivedOn: $on) { id } }`;
const START_VISIT = 'mutation S($client: ID!) { startHomeVisit(clientId: $client) { id } }';

const count = (db: 'clients' | 'consent', collection: string, filter: Record<string, unknown>) => async () =>
  t.db(db).collection(collection).countDocuments(filter);

const CASES: Readonly<Record<string, ChangeCase>> = {
  recordCaseNote: {
    query:
      'mutation N($client: ID!, $at: String!) { recordCaseNote(clientId: $client, occurredAt: $at, venue: "Office", text: "Checked in by phone.") { id } }',
    variables: async (actor) => ({ client: t.idFor(actor, 'Client', SAM), at: past() }),
    effect: count('clients', 'caseNotes', { clientId: SAM }),
  },
  startHomeVisit: {
    query: START_VISIT,
    variables: async (actor) => ({ client: t.idFor(actor, 'Client', SAM) }),
    effect: count('clients', 'homeVisits', { clientId: SAM }),
  },
  endHomeVisit: {
    query: 'mutation E($visit: ID!) { endHomeVisit(visitId: $visit) { id } }',
    variables: async (actor) => ({
      visit: t.idFor(actor, 'HomeVisit', await made(keyworker, START_VISIT, { client: t.idFor(keyworker, 'Client', SAM) }, 'HomeVisit')),
    }),
    effect: count('clients', 'homeVisits', { clientId: SAM, endedAt: { $exists: true } }),
  },
  recordConsent: {
    query: CONSENT,
    variables: async (actor) => ({ subject: t.idFor(actor, 'Client', SAM), from: past(), until: future() }),
    effect: count('consent', 'consents', { subjectClientId: SAM }),
  },
  withdrawConsent: {
    query: 'mutation W($id: ID!) { withdrawConsent(consentId: $id) { id } }',
    variables: async (actor) => ({
      id: t.idFor(actor, 'Consent', await made(keyworker, CONSENT, { subject: t.idFor(keyworker, 'Client', SAM), from: past(), until: future() }, 'Consent')),
    }),
    effect: count('consent', 'consents', { subjectClientId: SAM, withdrawnAt: { $exists: true } }),
  },
  openExceptionalDisclosure: {
    query: OPEN_EXCEPTIONAL,
    variables: async (actor) => ({ subject: t.idFor(actor, 'Client', SAM) }),
    effect: count('consent', 'exceptionalDisclosures', { subjectClientId: SAM }),
  },
  closeExceptionalDisclosure: {
    query: 'mutation X($id: ID!) { closeExceptionalDisclosure(id: $id) { id } }',
    variables: async (actor) => ({
      id: t.idFor(
        actor,
        'ExceptionalDisclosure',
        await made(safeguarding, OPEN_EXCEPTIONAL, { subject: t.idFor(safeguarding, 'Client', SAM) }, 'ExceptionalDisclosure'),
      ),
    }),
    effect: count('consent', 'exceptionalDisclosures', { subjectClientId: SAM, closedAt: { $exists: true } }),
  },
  grantTrusteeAccess: {
    query: GRANT,
    variables: async (actor) => ({ subject: t.idFor(actor, 'Client', SAM), until: future() }),
    effect: count('consent', 'trusteeGrants', { subjectClientId: SAM }),
  },
  revokeTrusteeAccess: {
    query: 'mutation R($id: ID!) { revokeTrusteeAccess(id: $id) { id } }',
    variables: async (actor) => ({
      id: t.idFor(actor, 'TrusteeGrant', await made(dpo, GRANT, { subject: t.idFor(dpo, 'Client', SAM), until: future() }, 'TrusteeGrant')),
    }),
    effect: count('consent', 'trusteeGrants', { subjectClientId: SAM, revokedAt: { $exists: true } }),
  },
  logSubjectAccessRequest: {
    query: LOG_REQUEST,
    variables: async (actor) => ({ subject: t.idFor(actor, 'Client', SAM), on: new Date().toISOString().slice(0, 10) }),
    effect: count('consent', 'subjectAccessRequests', { subjectClientId: SAM }),
  },
  completeSubjectAccessRequest: {
    query: 'mutation Q($id: ID!) { completeSubjectAccessRequest(id: $id) { id } }',
    variables: async (actor) => ({
      id: t.idFor(
        actor,
        'SubjectAccessRequest',
        await made(dpo, LOG_REQUEST, { subject: t.idFor(dpo, 'Client', SAM), on: new Date().toISOString().slice(0, 10) }, 'SubjectAccessRequest'),
      ),
    }),
    effect: count('consent', 'subjectAccessRequests', { subjectClientId: SAM, completedAt: { $exists: true } }),
  },
  extendSubjectAccessRequest: {
    query: 'mutation X($id: ID!, $on: String!) { extendSubjectAccessRequest(id: $id, months: 1, reason: "Many records to review.", personToldOn: $on) { id } }',
    variables: async (actor) => {
      const today = new Date().toISOString().slice(0, 10);
      return {
        id: t.idFor(actor, 'SubjectAccessRequest', await made(dpo, LOG_REQUEST, { subject: t.idFor(dpo, 'Client', SAM), on: today }, 'SubjectAccessRequest')),
        on: today,
      };
    },
    effect: count('consent', 'subjectAccessRequests', { subjectClientId: SAM, extension: { $exists: true } }),
  },
  recordDecisionNotToShare: {
    query: `mutation D($subject: ID!) { recordDecisionNotToShare(subjectId: $subject, requestingOrganisation: "${PERSONAS.agencies.police}", purpose: "Enquiries",
      dataCategories: [CONTACT], reason: "No lawful basis and no consent given.") { id } }`,
    variables: async (actor) => ({ subject: t.idFor(actor, 'Client', SAM) }),
    effect: count('consent', 'decisionsNotToShare', { subjectClientId: SAM }),
  },
};

const API_MUTATIONS = Object.keys((buildSchema(readCommittedSupergraph(), { assumeValidSDL: true }).getMutationType() as GraphQLObjectType).getFields());

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

describe('every change of the API is covered', () => {
  it('has a case here and a rule in the policy', () => {
    expect(Object.keys(CASES).sort()).toEqual([...API_MUTATIONS].sort());
    expect(Object.keys(MUTATIONS).sort()).toEqual([...API_MUTATIONS].sort());
    expect(new Set(ACTORS.map((actor) => actor.principal.role))).toEqual(new Set<Role>(ROLES));
  });
});

// First, while Sam's only consent to the trust is the seeded one (IDENTITY and CONTACT).
describe('the reported route: consent recorded for Sam by someone outside Sam’s circle', () => {
  const nhs: Principal = nhsTrust;
  const outsider: Principal = otherSupportWorker;
  const SAM_VIEW = 'query V($id: ID!) { client(id: $id) { dateOfBirth phone caseNotes { text } } }';

  it('is refused, and the agency still reads nothing of Sam beyond what Sam consented to', async () => {
    const given = await ask(outsider, CONSENT, { subject: t.idFor(outsider, 'Client', SAM), from: past(), until: future() });
    expect(given.data).toEqual({ recordConsent: null });
    const view = await ask(nhs, SAM_VIEW, { id: t.idFor(nhs, 'Client', SAM) });
    // Sam's own consent to the trust covers IDENTITY and CONTACT, never case notes.
    expect((view.data as { client: { caseNotes: unknown } }).client.caseNotes).toBeNull();
  });

  it('cannot withdraw a consent Sam’s keyworker recorded', async () => {
    const consent = await made(keyworker, CONSENT, { subject: t.idFor(keyworker, 'Client', SAM), from: past(), until: future() }, 'Consent');
    const attempt = await ask(outsider, 'mutation W($id: ID!) { withdrawConsent(consentId: $id) { active } }', { id: t.idFor(outsider, 'Consent', consent) });
    expect(attempt.data).toEqual({ withdrawConsent: null });
    const stored = await t
      .db('consent')
      .collection('consents')
      .findOne({ _id: consent as never });
    expect(stored?.withdrawnAt).toBeUndefined();
  });

  it('control: without the gateway’s check the same change goes through and the agency reads Sam’s case notes', async () => {
    const bare = await startTestStack({ redaction: false });
    try {
      const body = (await bare.query(await bare.token(outsider), CONSENT, { subject: SAM, from: past(), until: future() })).body;
      expect(body.errors).toBeUndefined();
      const view = (await bare.query(await bare.token(nhs), SAM_VIEW, { id: SAM })).body;
      expect((view.data as { client: { caseNotes: unknown[] } }).client.caseNotes.length).toBeGreaterThan(0);
    } finally {
      await bare.close();
    }
  });
});

describe('a change about Sam, by every role from inside and outside Sam’s circle', () => {
  for (const mutation of Object.keys(CASES)) {
    for (const actor of ACTORS) {
      const accepted = expectedAccepted(mutation, actor);
      it(`${mutation} by ${actor.label}: ${accepted ? 'accepted' : 'refused before it is forwarded, and on the trail'}`, async () => {
        const change = CASES[mutation]!;
        const variables = await change.variables(actor.principal);
        const before = await change.effect();
        const trailBefore = await auditCollection(t.db('audit')).countDocuments({ action: 'refused' });
        const body = await ask(actor.principal, change.query, variables);
        const after = await change.effect();
        if (accepted) {
          expect(body.errors).toBeUndefined();
          expect((body.data as Record<string, unknown>)[mutation]).not.toBeNull();
          expect(after).toBe(before + 1);
          return;
        }
        expect(body.data).toEqual({ [mutation]: null });
        expect(body.errors?.map((error) => [error.message, error.extensions?.code, error.path])).toEqual([['Forbidden', 'FORBIDDEN', [mutation]]]);
        expect(after).toBe(before);
        const refusals = await auditCollection(t.db('audit'))
          .find({ action: 'refused' }, { sort: { _id: 1 } })
          .toArray();
        expect(refusals.length).toBe(trailBefore + 1);
        const refusal = refusals[refusals.length - 1]!;
        expect(refusal.asked).toEqual([`Mutation.${mutation}`]);
        expect(refusal.actor.role).toBe(actor.principal.role);
        // The refused change names its subject wherever the caller named Sam directly (or the role may look the record up).
        const named = MUTATIONS[mutation]?.subject;
        if (named && named.through === undefined) {
          expect(refusal.subjects.map((subject) => subject.ref)).toEqual([t.idFor(dpo, 'Client', SAM)]);
        }
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Property: random changes by random principals about random seeded clients, each principal's
// relation to the client read from the client's own document.

interface WriteTrial {
  readonly mutation: string;
  readonly client: ClientDoc;
  readonly principal: Principal;
}

const DIRECT_CHANGES = [
  'recordCaseNote',
  'startHomeVisit',
  'recordConsent',
  'openExceptionalDisclosure',
  'grantTrusteeAccess',
  'logSubjectAccessRequest',
] as const;

function relationOf(principal: Principal, client: ClientDoc): Actor['relation'] {
  return {
    keyworker: client.keyworkerStaffIds.includes(principal.sub),
    inTeam: principal.role === 'team_manager' && principal.team !== undefined && client.teamId === principal.team,
    themself: principal.role === 'service_user' && principal.sub === client._id,
  };
}

function trialArbitrary(clients: readonly ClientDoc[]): fc.Arbitrary<WriteTrial> {
  const client = fc.constantFrom(...clients);
  return fc
    .record({ mutation: fc.constantFrom(...DIRECT_CHANGES), client, other: client, role: fc.constantFrom(...ROLES) })
    .map(({ mutation, client: about, other, role }) => {
      // Half the time someone inside the client's circle (a keyworker of theirs, their team's manager, themself), else someone of another client's.
      const model = role === 'support_worker' || role === 'team_manager' || role === 'service_user' ? other : about;
      const base = ACTORS.find((actor) => actor.principal.role === role)?.principal as Principal;
      const principal: Principal =
        role === 'support_worker'
          ? { role, sub: model.keyworkerStaffIds[0] ?? base.sub }
          : role === 'team_manager'
            ? { role, sub: base.sub, team: model.teamId ?? PERSONAS.teams.north }
            : role === 'service_user'
              ? { role, sub: model._id }
              : base;
      return { mutation, client: about, principal };
    });
}

async function trialAccepted(stack: TestStack, trial: WriteTrial, encode: (principal: Principal, type: string, raw: string) => string): Promise<boolean> {
  const change = CASES[trial.mutation]!;
  const subject = encode(trial.principal, 'Client', trial.client._id);
  const variables = { ...(await change.variables(trial.principal)), client: subject, subject };
  const body = (await stack.query(await stack.token(trial.principal), change.query, variables)).body;
  return body.errors === undefined && (body.data as Record<string, unknown> | undefined)?.[trial.mutation] != null;
}

describe('property: a change about any client is accepted exactly when the policy’s circle holds', () => {
  const sample = async (stack: TestStack) =>
    (
      await stack
        .db('clients')
        .collection<ClientDoc>('clients')
        .find({ status: 'OPEN', address: { $exists: true } }, { limit: 40, sort: { _id: 1 } })
        .toArray()
    ).filter((doc) => doc.keyworkerStaffIds.length > 0);

  it('holds over random trials', async () => {
    const clients = await sample(t);
    await fc.assert(
      fc.asyncProperty(trialArbitrary(clients), async (trial) => {
        const want = expectedAccepted(trial.mutation, { label: 'random', principal: trial.principal, relation: relationOf(trial.principal, trial.client) });
        expect({
          ...trial,
          client: trial.client._id,
          accepted: await trialAccepted(t, trial, (principal, type, raw) => t.idFor(principal, type, raw)),
        }).toEqual({
          ...trial,
          client: trial.client._id,
          accepted: want,
        });
      }),
      { numRuns: 60, seed: 9_2026 },
    );
  });

  it('control: the same property fails against a gateway without its checks', async () => {
    const bare = await startTestStack({ redaction: false });
    try {
      const clients = await sample(bare);
      const result = await fc.check(
        fc.asyncProperty(trialArbitrary(clients), async (trial) => {
          const want = expectedAccepted(trial.mutation, { label: 'random', principal: trial.principal, relation: relationOf(trial.principal, trial.client) });
          return (await trialAccepted(bare, trial, (_principal, _type, raw) => raw)) === want;
        }),
        { numRuns: 60, seed: 9_2026 },
      );
      expect(result.failed).toBe(true);
    } finally {
      await bare.close();
    }
  });
});
