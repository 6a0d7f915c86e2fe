import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSONAS } from '../seed/personas.js';
import { ROLES, type Principal, type Role } from '../shield/roles.js';
import { auditCollection } from '../gateway/audit/audit-log.js';
import { alertCollection } from '../gateway/alerts/privacy-alert.js';
import { readSubgraphConfig } from '../subgraphs/shared/config.js';
import {
  PRINCIPAL_BY_ROLE,
  alex,
  dpo,
  safeguardingOfficer as safeguarding,
  teamManagerNorth as northManager,
  otherSupportWorker,
  sam as samAsClient,
  samAsStaff,
  teamManagerSouth as southManager,
} from './support/principals.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';

/**
 * Issue 10, oversight through the gateway: privacy alerts for every break-glass, trustee grant
 * and subject access export (expiry and closure shown on them); break-glass for 24 hours by
 * default; `me` for every role (Sam's two identities kept apart); the DPO's person search,
 * extensions and the paginated register; decisions not to share; pagination with cursors.
 * Refusals are tried for every role of ROLES.
 */

const SAM = PERSONAS.sam.clientId;
const HOUR = 3_600_000;
const OTHERS = (allowed: readonly Role[]) => ROLES.filter((role) => !allowed.includes(role));

let t: TestStack;

async function ask(principal: Principal, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponseBody> {
  return (await t.query(await t.token(principal), query, variables)).body;
}

async function get(principal: Principal, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, t.gatewayUrl), { headers: { authorization: `Bearer ${await t.token(principal)}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

interface AlertView {
  id: string;
  kind: string;
  raisedAt: string;
  actor: { role: string; ref: string };
  subject: string;
  details: Record<string, unknown>;
  status: string;
}

async function alertsOf(kind: string, principal: Principal = dpo): Promise<AlertView[]> {
  const { status, body } = await get(principal, `/alerts?kind=${kind}&first=500`);
  expect(status).toBe(200);
  return body.alerts as AlertView[];
}

const OPEN = `mutation O($subject: ID!, $hours: Int) { openExceptionalDisclosure(subjectId: $subject, recipientOrganisation: "${PERSONAS.agencies.police}",
  legalBasis: SERIOUS_HARM, reason: "Credible threat reported; police need to locate the client.", expiresInHours: $hours) { id openedAt expiresAt } }`;
const GRANT = `mutation G($subject: ID!, $until: String!) { grantTrusteeAccess(trusteeId: "${PERSONAS.trustee}", subjectId: $subject, complaintReference: "CMP-10", expiresAt: $until) { id } }`;

beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t.close();
});

describe('privacy alerts for every exceptional disclosure, trustee grant and subject access export', () => {
  it('a break-glass raises an alert with who, when, whose record and why; its closure shows on it', async () => {
    const before = await alertCollection(t.db('audit')).countDocuments({ kind: 'EXCEPTIONAL_DISCLOSURE_OPENED' });
    // Aliased, so the alert follows the answer wherever the caller put it; the caller did not ask for the id.
    const opened = await ask(
      safeguarding,
      OPEN.replace('openExceptionalDisclosure(', 'glass: openExceptionalDisclosure(').replace('{ id openedAt expiresAt }', '{ expiresAt }'),
      {
        subject: t.idFor(safeguarding, 'Client', SAM),
      },
    );
    expect(opened.errors).toBeUndefined();
    const alerts = await alertsOf('EXCEPTIONAL_DISCLOSURE_OPENED');
    expect(alerts).toHaveLength(before + 1);
    const alert = alerts[0]!;
    expect(alert).toMatchObject({
      kind: 'EXCEPTIONAL_DISCLOSURE_OPENED',
      status: 'OPEN',
      actor: { role: 'safeguarding_officer', ref: PERSONAS.safeguardingOfficer },
      subject: t.idFor(dpo, 'Client', SAM),
      details: {
        recipientOrganisation: PERSONAS.agencies.police,
        legalBasis: 'SERIOUS_HARM',
        reason: 'Credible threat reported; police need to locate the client.',
        status: 'ACTIVE',
      },
    });
    expect(alert.details.expiresAt).toBe((opened.data as { glass: { expiresAt: string } }).glass.expiresAt);
    // The record by the DPO's id: the DPO can close it with it.
    const record = alert.details.record as string;
    expect(t.rawIdOf(dpo, 'ExceptionalDisclosure', record)).toMatch(/^exd_/);
    // Raised on the trail with the change.
    const raised = await auditCollection(t.db('audit')).findOne({ action: 'alert-raised', 'alert.id': alert.id });
    expect(raised?.subjects.map((s) => s.ref)).toEqual([t.idFor(dpo, 'Client', SAM)]);

    const closed = await ask(dpo, 'mutation X($id: ID!) { closeExceptionalDisclosure(id: $id) { closedAt } }', { id: record });
    expect(closed.errors).toBeUndefined();
    const after = (await alertsOf('EXCEPTIONAL_DISCLOSURE_OPENED')).find((each) => each.id === alert.id)!;
    expect(after.details).toMatchObject({
      status: 'ENDED',
      endedAt: (closed.data as { closeExceptionalDisclosure: { closedAt: string } }).closeExceptionalDisclosure.closedAt,
      endedBy: { role: 'data_protection_officer' },
    });
  });

  it('an expired break-glass shows as expired on its alert', async () => {
    const opened = await ask(safeguarding, OPEN, { subject: t.idFor(safeguarding, 'Client', SAM), hours: 1 });
    expect(opened.errors).toBeUndefined();
    const alert = (await alertsOf('EXCEPTIONAL_DISCLOSURE_OPENED'))[0]!;
    await alertCollection(t.db('audit')).updateOne({ _id: alert.id }, { $set: { 'details.expiresAt': new Date(Date.now() - HOUR).toISOString() } });
    expect((await alertsOf('EXCEPTIONAL_DISCLOSURE_OPENED')).find((each) => each.id === alert.id)?.details.status).toBe('EXPIRED');
  });

  it('a refused break-glass (a team manager) and a failed one (no reason) raise nothing', async () => {
    const before = await alertCollection(t.db('audit')).countDocuments({});
    expect((await ask(northManager, OPEN, { subject: t.idFor(northManager, 'Client', SAM) })).data).toEqual({ openExceptionalDisclosure: null });
    const short = await ask(safeguarding, OPEN.replace('Credible threat reported; police need to locate the client.', 'short'), {
      subject: t.idFor(safeguarding, 'Client', SAM),
    });
    expect(short.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await alertCollection(t.db('audit')).countDocuments({})).toBe(before);
  });

  it('a trustee grant raises an alert; its revocation shows on it', async () => {
    const granted = await ask(dpo, GRANT, { subject: t.idFor(dpo, 'Client', SAM), until: new Date(Date.now() + 7 * 24 * HOUR).toISOString() });
    expect(granted.errors).toBeUndefined();
    const alert = (await alertsOf('TRUSTEE_ACCESS_GRANTED'))[0]!;
    expect(alert).toMatchObject({
      actor: { role: 'data_protection_officer' },
      subject: t.idFor(dpo, 'Client', SAM),
      details: { trusteeId: PERSONAS.trustee, complaintReference: 'CMP-10', status: 'ACTIVE' },
    });
    const revoked = await ask(dpo, 'mutation R($id: ID!) { revokeTrusteeAccess(id: $id) { revokedAt } }', {
      id: (granted.data as { grantTrusteeAccess: { id: string } }).grantTrusteeAccess.id,
    });
    expect(revoked.errors).toBeUndefined();
    expect((await alertsOf('TRUSTEE_ACCESS_GRANTED')).find((each) => each.id === alert.id)?.details.status).toBe('ENDED');
  });

  it('every subject access export raises an alert: the person’s own and the DPO’s for a logged request', async () => {
    const own = await get(samAsClient, '/subject-access/export');
    expect(own.status).toBe(200);
    const logged = await ask(dpo, 'mutation L($s: ID!, $on: String!) { logSubjectAccessRequest(subjectId: $s, receivedOn: $on) { id } }', {
      s: t.idFor(dpo, 'Client', SAM),
      on: new Date().toISOString().slice(0, 10),
    });
    const request = (logged.data as { logSubjectAccessRequest: { id: string } }).logSubjectAccessRequest.id;
    expect((await get(dpo, `/subject-access/export?request=${encodeURIComponent(request)}`)).status).toBe(200);
    const alerts = await alertsOf('SUBJECT_ACCESS_EXPORTED');
    expect(alerts.slice(0, 2).map((a) => [a.details.by, a.details.request, a.subject, a.actor.role])).toEqual([
      ['DPO', request, t.idFor(dpo, 'Client', SAM), 'data_protection_officer'],
      ['SUBJECT', null, t.idFor(dpo, 'Client', SAM), 'service_user'],
    ]);
  });

  it('the north team manager sees none of these alerts (they are the DPO’s), and every other role gets 403', async () => {
    const { body } = await get(northManager, '/alerts?first=500');
    expect((body.alerts as AlertView[]).filter((a) => a.kind !== 'EMERGENCY_LOOKUP_RESTRICTED')).toEqual([]);
    for (const role of OTHERS(['data_protection_officer', 'team_manager'])) {
      expect((await get(PRINCIPAL_BY_ROLE[role], '/alerts')).status, role).toBe(403);
    }
  });

  it('alerts page with cursors: every alert exactly once, newest first; a bad cursor or page size is refused', async () => {
    const all = (await get(dpo, '/alerts?first=500')).body.alerts as AlertView[];
    expect(all.length).toBeGreaterThan(3);
    const walked: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page += 1) {
      const { body }: { body: Record<string, unknown> } = await get(dpo, `/alerts?first=2${after ? `&after=${after}` : ''}`);
      walked.push(...(body.alerts as AlertView[]).map((a) => a.id));
      const info = body.pageInfo as { hasNextPage: boolean; endCursor: string | null };
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    expect(walked).toEqual(all.map((a) => a.id));
    expect((await get(dpo, '/alerts?first=501')).status).toBe(400);
    expect((await get(dpo, '/alerts?after=alert_nope')).status).toBe(400);
  });
});

describe('break-glass, tighter', () => {
  it('lasts 24 hours unless the opener says otherwise, and never past the maximum', async () => {
    const opened = await ask(safeguarding, OPEN, { subject: t.idFor(safeguarding, 'Client', SAM) });
    const { openedAt, expiresAt } = (opened.data as { openExceptionalDisclosure: { openedAt: string; expiresAt: string } }).openExceptionalDisclosure;
    expect(Date.parse(expiresAt) - Date.parse(openedAt)).toBe(24 * HOUR);
    const tooLong = await ask(safeguarding, OPEN, { subject: t.idFor(safeguarding, 'Client', SAM), hours: 169 });
    expect(tooLong.errors?.[0]?.message).toContain('expiresInHours must be 1–168');
  });

  it('the default is configurable, and a default past the maximum stops the subgraph at start-up', () => {
    expect(readSubgraphConfig('consent', { EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS: '8' }).config.exceptionalDisclosureDefaultHours).toBe(8);
    expect(() => readSubgraphConfig('consent', { EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS: '48', EXCEPTIONAL_DISCLOSURE_MAX_HOURS: '24' })).toThrow(
      /EXCEPTIONAL_DISCLOSURE_DEFAULT_HOURS/,
    );
  });
});

const ME = 'query { me { role staffMember { id name } team { id name } caseloadSize client { id name } organisation purpose } }';
interface Me {
  role: string;
  staffMember: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  caseloadSize: number | null;
  client: { id: string; name: string } | null;
  organisation: string | null;
  purpose: string | null;
}

describe('who am I', () => {
  const meOf = async (principal: Principal) => {
    const body = await ask(principal, ME);
    return { me: (body.data as { me: Me }).me, denied: (body.errors ?? []).map((e) => [e.path?.slice(1).join('.'), e.extensions?.code]) };
  };

  it('answers every role with its role, and only what that role needs', async () => {
    for (const role of ROLES) {
      const principal = PRINCIPAL_BY_ROLE[role];
      const { me } = await meOf(principal);
      expect(me.role, role).toBe(role);
      const staff = ['support_worker', 'team_manager', 'duty_officer', 'hr', 'safeguarding_officer', 'data_protection_officer'].includes(role);
      expect(me.staffMember !== null, `${role} staffMember`).toBe(staff);
      if (staff) expect(t.rawIdOf(principal, 'StaffMember', me.staffMember!.id), role).toBe(principal.sub);
      expect(me.client !== null, `${role} client`).toBe(role === 'service_user');
      expect(me.organisation !== null, `${role} organisation`).toBe(role === 'external_agency');
      expect(me.caseloadSize !== null, `${role} caseloadSize`).toBe(role === 'support_worker' || role === 'team_manager');
    }
  });

  it('gives a team manager their team’s id (which teamCaseload takes) and name, and their caseload size', async () => {
    const { me } = await meOf(northManager);
    expect(me.team?.name).toBe('North housing team');
    expect(t.rawIdOf(northManager, 'Team', me.team!.id)).toBe(PERSONAS.teams.north);
    const caseload = await ask(northManager, 'query C($team: ID!) { teamCaseload(teamId: $team) { id } }', { team: me.team!.id });
    expect(caseload.errors).toBeUndefined();
    expect((caseload.data as { teamCaseload: unknown[] }).teamCaseload).toHaveLength(me.caseloadSize!);
    expect(me.caseloadSize).toBe(await t.db('clients').collection('clients').countDocuments({ teamId: PERSONAS.teams.north, status: 'OPEN' }));
  });

  it('gives a support worker the size of their own caseload', async () => {
    const { me } = await meOf(PRINCIPAL_BY_ROLE.support_worker);
    expect(me.caseloadSize).toBe(await t.db('clients').collection('clients').countDocuments({ keyworkerStaffIds: PERSONAS.keyworkerOfSam, status: 'OPEN' }));
  });

  it('Sam’s two identities: each token sees one side, and nothing in the two answers links them', async () => {
    const asClient = await meOf(samAsClient);
    const asStaff = await meOf(samAsStaff);
    expect(asClient.me).toMatchObject({ role: 'service_user', staffMember: null, team: null, caseloadSize: null });
    expect(t.rawIdOf(samAsClient, 'Client', asClient.me.client!.id)).toBe(SAM);
    expect(asStaff.me).toMatchObject({ role: 'support_worker', client: null });
    // No id, name or value in one answer appears in the other (the name is spelled the same, but only the client side carries it as a client).
    const values = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : value && typeof value === 'object' ? Object.values(value).flatMap(values) : [];
    const clientSide = new Set(values(asClient.me).filter((v) => v !== 'service_user'));
    const staffSide = values(asStaff.me).filter((v) => v !== 'support_worker');
    expect(staffSide.filter((v) => clientSide.has(v) && v !== PERSONAS.sam.name)).toEqual([]);
    expect(t.rawIdOf(samAsStaff, 'Client', asStaff.me.staffMember!.id)).toBeNull();
  });
});

const FIND = 'query F($person: PersonSearchInput!) { findPeople(person: $person) { id name } }';

describe('subject access, complete', () => {
  it('the DPO finds a person by exact name and date of birth (any case and spacing), answered by the DPO’s id; on the trail, matches or none', async () => {
    const found = await ask(dpo, FIND, { person: { name: '  sam   OKAFOR ', dateOfBirth: PERSONAS.sam.dateOfBirth } });
    expect(found.errors).toBeUndefined();
    const matches = (found.data as { findPeople: { id: string }[] }).findPeople;
    expect(matches.map((m) => t.rawIdOf(dpo, 'Client', m.id))).toEqual([SAM]);
    expect((await ask(dpo, FIND, { person: { name: 'Sam Okafo', dateOfBirth: PERSONAS.sam.dateOfBirth } })).data).toEqual({ findPeople: [] });
    const trail = await auditCollection(t.db('audit'))
      .find({ 'why.field': 'Query.findPeople' }, { sort: { _id: 1 } })
      .toArray();
    expect(trail.map((entry) => [entry.actor.role, entry.subjects.map((s) => s.ref)])).toEqual([
      ['data_protection_officer', [t.idFor(dpo, 'Client', SAM)]],
      ['data_protection_officer', []],
    ]);
  });

  it('refuses the search to every other role', async () => {
    for (const role of OTHERS(['data_protection_officer'])) {
      const body = await ask(PRINCIPAL_BY_ROLE[role], FIND, { person: { name: PERSONAS.sam.name, dateOfBirth: PERSONAS.sam.dateOfBirth } });
      expect(body.data, role).toEqual({ findPeople: null });
      expect(
        body.errors?.map((e) => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN']);
    }
  });

  const LOG = 'mutation L($s: ID!, $on: String!) { logSubjectAccessRequest(subjectId: $s, receivedOn: $on) { id dueOn } }';
  const EXTEND = `mutation E($id: ID!, $months: Int!, $told: String!) { extendSubjectAccessRequest(id: $id, months: $months, reason: "Many records over twelve years to review.", personToldOn: $told) {
    dueOn originalDueOn extended extension { months reason personToldOn extendedBy { name } } } }`;
  const daysAgo = (days: number) => new Date(Date.now() - days * 24 * HOUR).toISOString().slice(0, 10);

  it('extends a request by up to two further months when the person was told within the first month, once', async () => {
    const received = daysAgo(10);
    const logged = (await ask(dpo, LOG, { s: t.idFor(dpo, 'Client', SAM), on: received })).data as { logSubjectAccessRequest: { id: string; dueOn: string } };
    const { id, dueOn } = logged.logSubjectAccessRequest;
    expect((await ask(dpo, EXTEND, { id, months: 3, told: daysAgo(1) })).errors?.[0]?.message).toContain('months must be 1–2');
    const extended = await ask(dpo, EXTEND, { id, months: 2, told: daysAgo(1) });
    expect(extended.errors).toBeUndefined();
    const [year, month, day] = received.split('-').map(Number) as [number, number, number];
    const last = new Date(Date.UTC(year, month + 3, 0)).getUTCDate();
    expect((extended.data as { extendSubjectAccessRequest: unknown }).extendSubjectAccessRequest).toEqual({
      dueOn: new Date(Date.UTC(year, month + 2, Math.min(day, last))).toISOString().slice(0, 10),
      originalDueOn: dueOn,
      extended: true,
      extension: { months: 2, reason: 'Many records over twelve years to review.', personToldOn: daysAgo(1), extendedBy: { name: 'Avery Lindqvist' } },
    });
    expect((await ask(dpo, EXTEND, { id, months: 1, told: daysAgo(1) })).errors?.[0]?.message).toContain('already extended');
  });

  it('refuses an extension told after the first month', async () => {
    const logged = (await ask(dpo, LOG, { s: t.idFor(dpo, 'Client', SAM), on: daysAgo(40) })).data as { logSubjectAccessRequest: { id: string } };
    const late = await ask(dpo, EXTEND, { id: logged.logSubjectAccessRequest.id, months: 1, told: daysAgo(0) });
    expect(late.errors?.[0]?.message).toContain('within the first month');
  });

  const REGISTER =
    'query R($f: SubjectAccessRegisterFilter!, $first: Int!, $after: ID) { subjectAccessRegister(filter: $f, first: $first, after: $after) { nodes { id dueOn status overdue extended } hasNextPage } }';
  type RegisterPage = { nodes: { id: string; dueOn: string; status: string; overdue: boolean; extended: boolean }[]; hasNextPage: boolean };
  const walk = async (filter: string) => {
    const nodes: RegisterPage['nodes'] = [];
    let after: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const body = await ask(dpo, REGISTER, { f: filter, first: 2, after });
      expect(body.errors).toBeUndefined();
      const got = (body.data as { subjectAccessRegister: RegisterPage }).subjectAccessRegister;
      nodes.push(...got.nodes);
      if (!got.hasNextPage) break;
      after = got.nodes.at(-1)!.id;
    }
    return nodes;
  };

  it('lists due, overdue and extended requests a page at a time, each once, soonest due first', async () => {
    const all = await walk('ALL');
    expect(all.length).toBe(await t.db('consent').collection('subjectAccessRequests').countDocuments({}));
    expect(new Set(all.map((n) => n.id)).size).toBe(all.length);
    expect(all.map((n) => n.dueOn)).toEqual([...all.map((n) => n.dueOn)].sort());
    const overdue = await walk('OVERDUE');
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.every((n) => n.overdue && n.status === 'OPEN')).toBe(true);
    const due = await walk('DUE');
    expect(due.every((n) => !n.overdue && n.status === 'OPEN')).toBe(true);
    const extended = await walk('EXTENDED');
    expect(extended.length).toBe(
      await t
        .db('consent')
        .collection('subjectAccessRequests')
        .countDocuments({ extension: { $exists: true } }),
    );
    expect(extended.length).toBeGreaterThan(0);
    expect(extended.every((n) => n.extended)).toBe(true);
    expect(overdue.length + due.length + (await walk('COMPLETED')).length).toBe(all.length);
  });

  it('refuses a page size past 100, a cursor from another audience, and the register to every other role', async () => {
    expect((await ask(dpo, REGISTER, { f: 'ALL', first: 101 })).errors?.[0]?.message).toContain('first must be 1–100');
    const foreign = t.idFor(safeguarding, 'SubjectAccessRequest', 'sar_0002');
    expect((await ask(dpo, REGISTER, { f: 'ALL', first: 2, after: foreign })).errors?.[0]?.message).toBe('Invalid id');
    for (const role of OTHERS(['data_protection_officer'])) {
      expect((await ask(PRINCIPAL_BY_ROLE[role], REGISTER, { f: 'ALL', first: 2 })).data, role).toEqual({ subjectAccessRegister: null });
    }
  });
});

const DECIDE = `mutation D($s: ID!) { recordDecisionNotToShare(subjectId: $s, requestingOrganisation: "Northshire Police", purpose: "Intelligence gathering",
  dataCategories: [CONTACT, CASE_NOTES], reason: "No lawful basis and no consent; not necessary for the stated purpose.") { id requestingOrganisation decidedBy { name } } }`;
const DECISIONS =
  'query L($first: Int!, $after: ID) { decisionsNotToShare(first: $first, after: $after) { nodes { id subject { id } requestingOrganisation purpose dataCategories reason decidedAt } hasNextPage } }';

describe('decisions not to share', () => {
  it('the safeguarding lead records one for anyone; a team manager for their own team’s clients only', async () => {
    const bySafeguarding = await ask(safeguarding, DECIDE, { s: t.idFor(safeguarding, 'Client', SAM) });
    expect(bySafeguarding.errors).toBeUndefined();
    expect((bySafeguarding.data as { recordDecisionNotToShare: { decidedBy: { name: string } } }).recordDecisionNotToShare.decidedBy.name).toBe('Robin Farrow');
    expect((await ask(northManager, DECIDE, { s: t.idFor(northManager, 'Client', SAM) })).errors).toBeUndefined();
    const south = await ask(southManager, DECIDE, { s: t.idFor(southManager, 'Client', SAM) });
    expect(south.data).toEqual({ recordDecisionNotToShare: null });
    expect(south.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('the DPO lists them, newest first, a page at a time; every other role is refused', async () => {
    const first = await ask(dpo, DECISIONS, { first: 1 });
    expect(first.errors).toBeUndefined();
    const page = (first.data as { decisionsNotToShare: { nodes: { id: string; subject: { id: string }; reason: string }[]; hasNextPage: boolean } })
      .decisionsNotToShare;
    expect(page.hasNextPage).toBe(true);
    expect(t.rawIdOf(dpo, 'Client', page.nodes[0]!.subject.id)).toBe(SAM);
    const second = await ask(dpo, DECISIONS, { first: 5, after: page.nodes[0]!.id });
    const rest = (second.data as { decisionsNotToShare: { nodes: { id: string }[]; hasNextPage: boolean } }).decisionsNotToShare;
    expect(rest.nodes).toHaveLength((await t.db('consent').collection('decisionsNotToShare').countDocuments({})) - 1);
    expect(rest.nodes[0]!.id).not.toBe(page.nodes[0]!.id);
    expect(rest.hasNextPage).toBe(false);
    for (const role of OTHERS(['data_protection_officer'])) {
      expect((await ask(PRINCIPAL_BY_ROLE[role], DECISIONS, { first: 1 })).data, role).toEqual({ decisionsNotToShare: null });
    }
  });

  it('they appear in the person’s export, without the reason’s free text', async () => {
    const { status, body } = await get(samAsClient, '/subject-access/export');
    expect(status).toBe(200);
    const decisions = (body.subjectAccessExport as { decisionsNotToShare: Record<string, unknown>[] }).decisionsNotToShare;
    expect(decisions).toHaveLength(2);
    expect(decisions[0]).toEqual({
      requestingOrganisation: 'Northshire Police',
      purpose: 'Intelligence gathering',
      dataCategories: ['CONTACT', 'CASE_NOTES'],
      decidedAt: expect.any(String),
    });
  });
});

describe('the audit trail for the DPO: a page at a time, clients by name', () => {
  interface TrailPage {
    entries: { _id: number }[];
    pageInfo: { hasNextPage: boolean; endCursor: number | null };
  }
  const NAMES = 'query N($ids: [ID!]!) { auditSubjectNames(ids: $ids) { name subject { id } } }';
  const ALEX = PERSONAS.ordinaryClient.clientId;

  it('pages GET /audit/entries with cursors: every entry exactly once, newest first; a bad cursor or page size is refused', async () => {
    // Enough entries for several pages, whatever ran before.
    for (let i = 0; i < 7; i++) await ask(dpo, FIND, { person: { name: PERSONAS.sam.name, dateOfBirth: PERSONAS.sam.dateOfBirth } });
    // Up to now only: the reads below go on the trail too.
    const to = new Date(Date.now() + 1).toISOString();
    const whole = (await get(dpo, `/audit/entries?to=${to}&first=500`)).body as unknown as TrailPage;
    expect(whole.entries.length).toBeGreaterThan(6);
    const seen: number[] = [];
    let after: number | null = null;
    for (let pages = 0; pages < 200; pages++) {
      const answer = await get(dpo, `/audit/entries?to=${to}&first=3${after === null ? '' : `&after=${after}`}`);
      expect(answer.status).toBe(200);
      const page = answer.body as unknown as TrailPage;
      seen.push(...page.entries.map((e) => e._id));
      expect(page.pageInfo.endCursor).toBe(page.entries.at(-1)?._id ?? null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(whole.entries.map((e) => e._id).slice(0, seen.length));
    expect(seen.length).toBe(Math.min(whole.entries.length, 500));
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    for (const bad of ['after=abc', 'after=-1', 'after=', 'first=0', 'first=501', 'limit=501']) {
      const answer = await get(dpo, `/audit/entries?${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(JSON.stringify(answer.body), bad).toContain('BAD_USER_INPUT');
    }
    for (const role of OTHERS(['data_protection_officer'])) expect((await get(PRINCIPAL_BY_ROLE[role], '/audit/entries?first=1')).status, role).toBe(403);
  });

  it('names each client the trail shows, by the DPO’s own id, and nothing else of the record; the lookup is on the trail', async () => {
    const [samRef, alexRef] = [t.idFor(dpo, 'Client', SAM), t.idFor(dpo, 'Client', ALEX)];
    // The refs the trail shows are the DPO's own ids.
    await ask(dpo, FIND, { person: { name: PERSONAS.sam.name, dateOfBirth: PERSONAS.sam.dateOfBirth } });
    const trail = (await get(dpo, `/audit/entries?subject=${encodeURIComponent(samRef)}&first=1`)).body as unknown as {
      entries: { subjects: { ref: string }[] }[];
    };
    expect(trail.entries[0]?.subjects.map((s) => s.ref)).toContain(samRef);

    const named = await ask(dpo, NAMES, { ids: [samRef, alexRef, samRef] });
    expect(named.errors).toBeUndefined();
    expect((named.data as { auditSubjectNames: unknown[] }).auditSubjectNames).toEqual([
      { name: PERSONAS.sam.name, subject: { id: samRef } },
      { name: PERSONAS.ordinaryClient.name, subject: { id: alexRef } },
    ]);
    // The name only (the DPO's under the identity rule): the rest of the record stays closed, through this type as anywhere.
    const more = await ask(dpo, 'query N($ids: [ID!]!) { auditSubjectNames(ids: $ids) { name subject { id dateOfBirth address { postcode } } } }', {
      ids: [samRef],
    });
    expect(more.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([
      ['auditSubjectNames.0.subject.dateOfBirth', 'FORBIDDEN'],
      ['auditSubjectNames.0.subject.address', 'FORBIDDEN'],
    ]);

    const looked = await auditCollection(t.db('audit'))
      .find({ 'actor.role': 'data_protection_officer', 'subjects.returned': 'AuditSubjectName.name' }, { sort: { _id: -1 } })
      .toArray();
    expect(looked.flatMap((entry) => entry.subjects.map((s) => s.ref))).toEqual(expect.arrayContaining([samRef, alexRef]));
  });

  it('refuses another audience’s id, more than 100 ids, and the lookup to every other role', async () => {
    expect((await ask(dpo, NAMES, { ids: [t.idFor(northManager, 'Client', SAM)] })).errors?.[0]?.message).toBe('Invalid id');
    const many = Array.from({ length: 101 }, (_, i) => t.idFor(dpo, 'Client', `cli_${String(i).padStart(8, '0')}`));
    const tooMany = await ask(dpo, NAMES, { ids: many });
    expect(tooMany.errors?.[0]?.message).toContain('at most 100');
    for (const role of OTHERS(['data_protection_officer'])) {
      const body = await ask(PRINCIPAL_BY_ROLE[role], NAMES, { ids: [t.idFor(PRINCIPAL_BY_ROLE[role], 'Client', SAM)] });
      expect(body.data, role).toEqual({ auditSubjectNames: null });
      expect(
        body.errors?.map((e) => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN']);
    }
  });
});

describe('caseloads a page at a time', () => {
  type Page = { nodes: { id: string; name: string }[]; hasNextPage: boolean };
  const MINE = 'query M($first: Int!, $after: ID) { myCaseloadPage(first: $first, after: $after) { nodes { id name } hasNextPage } }';
  const TEAM =
    'query T($team: ID!, $first: Int!, $after: ID) { teamCaseloadPage(teamId: $team, first: $first, after: $after) { nodes { id name } hasNextPage } }';
  const keyworker = PRINCIPAL_BY_ROLE.support_worker;

  /** Every page in turn, about five of them whatever the caseload's size. */
  async function walk(
    principal: Principal,
    query: string,
    field: 'myCaseloadPage' | 'teamCaseloadPage',
    variables: Record<string, unknown>,
    total: number,
  ): Promise<{ id: string; name: string }[]> {
    const seen: { id: string; name: string }[] = [];
    let after: string | null = null;
    const first = Math.max(1, Math.ceil(total / 5));
    for (let pages = 0; pages < 10; pages++) {
      const body = await ask(principal, query, { ...variables, first, after });
      expect(body.errors).toBeUndefined();
      const page = (body.data as Record<string, Page>)[field]!;
      seen.push(...page.nodes);
      if (!page.hasNextPage) return seen;
      after = page.nodes.at(-1)?.id ?? null;
    }
    throw new Error('too many pages');
  }

  it('a keyworker and a team manager read the same caseload as the whole list, each client once, in its order', async () => {
    const whole = (await ask(keyworker, '{ myCaseload { id name } }')).data as { myCaseload: { id: string; name: string }[] };
    expect(whole.myCaseload.length).toBeGreaterThan(1);
    expect(await walk(keyworker, MINE, 'myCaseloadPage', {}, whole.myCaseload.length)).toEqual(whole.myCaseload);

    const team = t.idFor(northManager, 'Team', PERSONAS.teams.north);
    const wholeTeam = (await ask(northManager, 'query W($team: ID!) { teamCaseload(teamId: $team) { id name } }', { team })).data as {
      teamCaseload: { id: string; name: string }[];
    };
    expect(wholeTeam.teamCaseload.length).toBeGreaterThan(2);
    expect(await walk(northManager, TEAM, 'teamCaseloadPage', { team }, wholeTeam.teamCaseload.length)).toEqual(wholeTeam.teamCaseload);
  });

  it('refuses a cursor off the caseload, a page past 100, another team, and every role without a caseload', async () => {
    const team = t.idFor(northManager, 'Team', PERSONAS.teams.north);
    // Sam is not on this worker's caseload: as a cursor Sam's id would tell where Sam's name sorts among their clients.
    const otherWorker: Principal = otherSupportWorker;
    expect((await ask(otherWorker, MINE, { first: 1 })).errors).toBeUndefined();
    const off = await ask(otherWorker, MINE, { first: 1, after: t.idFor(otherWorker, 'Client', SAM) });
    expect(off.data).toEqual({ myCaseloadPage: null });
    expect(off.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect((await ask(keyworker, MINE, { first: 101 })).errors?.[0]?.message).toContain('first must be 1–100');
    const other = await ask(southManager, TEAM, { team: t.idFor(southManager, 'Team', PERSONAS.teams.north), first: 5 });
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    for (const role of OTHERS(['support_worker', 'team_manager'])) {
      const mine = await ask(PRINCIPAL_BY_ROLE[role], MINE, { first: 5 });
      expect(mine.data, role).toEqual({ myCaseloadPage: null });
      expect(
        mine.errors?.map((e) => e.extensions?.code),
        role,
      ).toEqual(['FORBIDDEN']);
      const theirs = await ask(PRINCIPAL_BY_ROLE[role], TEAM, { team: t.idFor(PRINCIPAL_BY_ROLE[role], 'Team', PERSONAS.teams.north), first: 5 });
      expect(theirs.data, role).toEqual({ teamCaseloadPage: null });
    }
    expect((await ask(northManager, TEAM, { team, first: 5 })).errors).toBeUndefined();
  });
});

describe('case notes and consents a page at a time, checked on their client before forwarding', () => {
  type Node = { id: string };
  type Page = { nodes: Node[]; hasNextPage: boolean };
  const NOTES =
    'query N($client: ID!, $first: Int!, $after: ID) { caseNotesPage(clientId: $client, first: $first, after: $after) { nodes { id } hasNextPage } }';
  const CONSENTS =
    'query C($client: ID!, $first: Int!, $after: ID) { consentsPage(subjectId: $client, first: $first, after: $after) { nodes { id } hasNextPage } }';
  const WHOLE = 'query W($id: ID!) { client(id: $id) { caseNotes { id } consents { id } } }';
  const keyworker = PRINCIPAL_BY_ROLE.support_worker;
  const NOTE_READERS: readonly Role[] = ['support_worker', 'team_manager', 'service_user'];
  const CONSENT_READERS: readonly Role[] = [...NOTE_READERS, 'safeguarding_officer', 'data_protection_officer'];
  /** Inside the circle of the role's persona by role, outside Sam's: the checks are on the client, not the role. */
  const OUTSIDE_SAMS_CIRCLE: readonly Principal[] = [otherSupportWorker, southManager, alex, samAsStaff];

  async function whole(principal: Principal, clientId: string): Promise<{ caseNotes: Node[] | null; consents: Node[] | null }> {
    const body = await ask(principal, WHOLE, { id: t.idFor(principal, 'Client', clientId) });
    return (body.data as { client: { caseNotes: Node[] | null; consents: Node[] | null } }).client;
  }

  /** Every page in turn, about five of them whatever the list's size. */
  async function walk(principal: Principal, query: string, field: 'caseNotesPage' | 'consentsPage', clientId: string, total: number): Promise<Node[]> {
    const seen: Node[] = [];
    let after: string | null = null;
    const first = Math.max(1, Math.ceil(total / 5));
    for (let pages = 0; pages < 10; pages++) {
      const body = await ask(principal, query, { client: t.idFor(principal, 'Client', clientId), first, after });
      expect(body.errors, principal.role).toBeUndefined();
      const page = (body.data as Record<string, Page>)[field]!;
      seen.push(...page.nodes);
      if (!page.hasNextPage) return seen;
      after = page.nodes.at(-1)?.id ?? null;
    }
    throw new Error('too many pages');
  }

  it('Sam’s keyworker, team manager and Sam themself read Sam’s case notes page by page as the whole list, newest first', async () => {
    for (const principal of [keyworker, northManager, samAsClient]) {
      const notes = (await whole(principal, SAM)).caseNotes!;
      expect(notes.length, principal.role).toBeGreaterThan(2);
      // The whole list is oldest first; the pages newest first.
      expect(await walk(principal, NOTES, 'caseNotesPage', SAM, notes.length), principal.role).toEqual([...notes].reverse());
    }
  });

  it('consents page by page are the whole list, for the care team, Sam themself and the DPO on the client with the most consents', async () => {
    for (const principal of [keyworker, northManager, samAsClient]) {
      const consents = (await whole(principal, SAM)).consents!;
      expect(consents.length, principal.role).toBeGreaterThan(0);
      expect(await walk(principal, CONSENTS, 'consentsPage', SAM, consents.length), principal.role).toEqual(consents);
    }
    const [busiest] = await t
      .db('consent')
      .collection<{ subjectClientId: string }>('consents')
      .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$subjectClientId', n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $limit: 1 }])
      .toArray();
    const consents = (await whole(dpo, busiest!._id)).consents!;
    expect(consents.length).toBeGreaterThan(2);
    expect(await walk(dpo, CONSENTS, 'consentsPage', busiest!._id, consents.length)).toEqual(consents);
  });

  it('refuses a cursor from another client’s list, even one the caller may read, and a page past 100', async () => {
    // Riley is keyworker of Sam and of Alex: Alex's note as a cursor on Sam's list would still tell when it was written.
    const alexNote = (await whole(keyworker, PERSONAS.ordinaryClient.clientId)).caseNotes![0]!.id;
    const crossed = await ask(keyworker, NOTES, { client: t.idFor(keyworker, 'Client', SAM), first: 5, after: alexNote });
    expect(crossed.data).toEqual({ caseNotesPage: null });
    expect(crossed.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Forbidden', 'FORBIDDEN']]);
    const other = await t
      .db('consent')
      .collection<{ _id: string; subjectClientId: string }>('consents')
      .findOne({ subjectClientId: { $ne: SAM } });
    const crossedConsent = await ask(dpo, CONSENTS, { client: t.idFor(dpo, 'Client', SAM), first: 5, after: t.idFor(dpo, 'Consent', other!._id) });
    expect(crossedConsent.data).toEqual({ consentsPage: null });
    expect(crossedConsent.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([['Forbidden', 'FORBIDDEN']]);
    // A cursor from the same list is accepted (the control for the two refusals above).
    const samsNote = (await whole(keyworker, SAM)).caseNotes!.at(-1)!.id;
    expect((await ask(keyworker, NOTES, { client: t.idFor(keyworker, 'Client', SAM), first: 5, after: samsNote })).errors).toBeUndefined();
    for (const [principal, query] of [
      [keyworker, NOTES],
      [dpo, CONSENTS],
    ] as const) {
      const big = await ask(principal, query, { client: t.idFor(principal, 'Client', SAM), first: 101 });
      expect(big.errors?.[0]?.message).toContain('first must be 1–100');
      expect((await ask(principal, query, { client: t.idFor(principal, 'Client', SAM), first: 100 })).errors).toBeUndefined();
    }
  });

  it('refuses every other role, and every reader of the role outside Sam’s circle, before anything is forwarded', async () => {
    const cases = [
      ...OTHERS(NOTE_READERS).map((role) => ({ principal: PRINCIPAL_BY_ROLE[role], query: NOTES, field: 'caseNotesPage', subgraph: 'clients' })),
      ...OTHERS(CONSENT_READERS).map((role) => ({ principal: PRINCIPAL_BY_ROLE[role], query: CONSENTS, field: 'consentsPage', subgraph: 'consent' })),
      ...OUTSIDE_SAMS_CIRCLE.flatMap((principal) => [
        { principal, query: NOTES, field: 'caseNotesPage', subgraph: 'clients' },
        { principal, query: CONSENTS, field: 'consentsPage', subgraph: 'consent' },
      ]),
    ];
    for (const { principal, query, field, subgraph } of cases) {
      const label = `${field} as ${JSON.stringify(principal)}`;
      t.resetCounters();
      const body = await ask(principal, query, { client: t.idFor(principal, 'Client', SAM), first: 5 });
      expect(body.data, label).toEqual({ [field]: null });
      expect(
        body.errors?.map((e) => [e.message, e.extensions?.code]),
        label,
      ).toEqual([['Forbidden', 'FORBIDDEN']]);
      expect(
        t.subgraphOperations.filter((op) => op.subgraph === subgraph && op.query.includes(field)),
        label,
      ).toEqual([]);
    }
  });
  it('a page read is on the audit trail as a read of Sam’s record; a refused page as a refusal naming Sam', async () => {
    const trail = auditCollection(t.db('audit'));
    const samRef = t.idFor(dpo, 'Client', SAM);
    for (const [query, field] of [
      [NOTES, 'caseNotesPage'],
      [CONSENTS, 'consentsPage'],
    ] as const) {
      expect((await ask(keyworker, query, { client: t.idFor(keyworker, 'Client', SAM), first: 2 })).errors).toBeUndefined();
      const [read] = await trail.find({ action: 'read', 'actor.role': 'support_worker' }).sort({ _id: -1 }).limit(1).toArray();
      expect(
        read?.subjects.map((subject) => subject.ref),
        field,
      ).toEqual([samRef]);
      const outsider: Principal = otherSupportWorker;
      await ask(outsider, query, { client: t.idFor(outsider, 'Client', SAM), first: 2 });
      const [refused] = await trail.find({ action: 'refused' }).sort({ _id: -1 }).limit(1).toArray();
      expect(refused).toMatchObject({ asked: [`Query.${field}`], refusal: 'FORBIDDEN', actor: { role: 'support_worker' } });
      expect(
        refused?.subjects.map((subject) => subject.ref),
        field,
      ).toEqual([samRef]);
    }
  });

  it('control: without the gateway’s check a support worker off Sam’s caseload pages Sam’s consents; the clients subgraph still refuses the case notes', async () => {
    const bare = await startTestStack({ redaction: false });
    try {
      const outsider: Principal = otherSupportWorker;
      const consents = (await bare.query(await bare.token(outsider), 'query C($id: ID!) { consentsPage(subjectId: $id) { nodes { id } } }', { id: SAM })).body;
      expect(consents.errors).toBeUndefined();
      expect((consents.data as { consentsPage: { nodes: unknown[] } }).consentsPage.nodes.length).toBeGreaterThan(0);
      // The clients subgraph holds the circle and checks it again: a leaked gateway claim reads no note.
      const notes = (await bare.query(await bare.token(outsider), 'query N($id: ID!) { caseNotesPage(clientId: $id) { nodes { id } } }', { id: SAM })).body;
      expect(notes.data).toEqual({ caseNotesPage: null });
      const keyworkers = (
        await bare.query(await bare.token(PRINCIPAL_BY_ROLE.support_worker), 'query N($id: ID!) { caseNotesPage(clientId: $id) { nodes { id } } }', { id: SAM })
      ).body;
      expect((keyworkers.data as { caseNotesPage: { nodes: unknown[] } }).caseNotesPage.nodes.length).toBeGreaterThan(0);
    } finally {
      await bare.close();
    }
  });
});

describe('control: the alerts come from the gateway', () => {
  it('without the redacting gateway a break-glass raises no alert (so the alert tests above can fail)', async () => {
    const bare = await startTestStack({ redaction: false });
    try {
      const body = (await bare.query(await bare.token(safeguarding), OPEN, { subject: SAM })).body;
      expect(body.errors).toBeUndefined();
      expect(await alertCollection(bare.db('audit')).countDocuments({ kind: 'EXCEPTIONAL_DISCLOSURE_OPENED' })).toBe(0);
    } finally {
      await bare.close();
    }
  });
});
