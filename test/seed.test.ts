import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import type { ClientDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc } from '../subgraphs/hr/documents.js';
import { generateDataset, SEED_SIZES, type BatchSource, type Dataset } from '../seed/generate.js';
import { PERSONAS, PERSONA_NAMES, PERSONA_STAFF, POSTS, POST_IDS, TEAM_NORTH, TEAM_SOUTH } from '../seed/personas.js';
import { createPermutation, createRng } from '../seed/random.js';
import { nameKey, nameKeys } from '../subgraphs/clients/third-party-names.js';

const NOW = new Date('2025-06-02T10:15:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function all<T>(source: BatchSource<T>, batchSize?: number): T[] {
  const out: T[] = [];
  for (const batch of source(batchSize)) out.push(...batch);
  return out;
}

function hashDataset(dataset: Dataset, batchSize?: number): string {
  const hash = createHash('sha256');
  for (const db of ['clients', 'hr', 'consent'] as const) {
    for (const [name, source] of Object.entries(dataset[db]) as [string, BatchSource<unknown>][]) {
      hash.update(`${db}.${name}\n`);
      for (const batch of source(batchSize)) for (const doc of batch) hash.update(`${JSON.stringify(doc)}\n`);
    }
  }
  return hash.digest('hex');
}

function ageOn(dateOfBirth: string, now: Date): number {
  const born = new Date(`${dateOfBirth}T00:00:00Z`);
  let age = now.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < born.getUTCMonth() || (now.getUTCMonth() === born.getUTCMonth() && now.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

/** Longest run of characters the two strings have in common. */
function longestCommonRun(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      best = Math.max(best, k);
    }
  }
  return best;
}

const hexOf = (id: string): string => id.slice(id.indexOf('_') + 1);

const dataset = generateDataset({ size: 'demo', seed: 7, now: NOW });
const clients = all(dataset.clients.clients);
const notes = all(dataset.clients.caseNotes);
const visits = all(dataset.clients.homeVisits);
const employees = all(dataset.hr.employees);
const teams = all(dataset.hr.teams);
const posts = all(dataset.hr.posts);
const consents = all(dataset.consent.consents);
const disclosures = all(dataset.consent.disclosures);
const exceptionals = all(dataset.consent.exceptionalDisclosures);
const personNames = all(dataset.clients.personNames);

const clientById = new Map(clients.map((c) => [c._id, c]));
const employeeByStaffId = new Map(employees.map((e) => [e.staffId, e]));
const teamById = new Map(teams.map((t) => [t._id, t]));

function client(id: string): ClientDoc {
  const found = clientById.get(id);
  if (!found) throw new Error(`no client ${id}`);
  return found;
}
function employee(staffId: string): EmployeeDoc {
  const found = employeeByStaffId.get(staffId);
  if (!found) throw new Error(`no employee ${staffId}`);
  return found;
}

describe('random', () => {
  it('is reproducible per seed and stream, and streams differ', () => {
    const a = createRng(1, 'x');
    const b = createRng(1, 'x');
    const c = createRng(1, 'y');
    const seqA = Array.from({ length: 5 }, () => a.uint32());
    expect(Array.from({ length: 5 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.uint32())).not.toEqual(seqA);
  });

  it('int stays within bounds and the permutation is a bijection', () => {
    const rng = createRng(3, 'bounds');
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(-2, 2);
      expect(n).toBeGreaterThanOrEqual(-2);
      expect(n).toBeLessThanOrEqual(2);
    }
    const permute = createPermutation(3, 'small', 12);
    const images = new Set(Array.from({ length: 4096 }, (_, i) => permute(i)));
    expect(images.size).toBe(4096);
    expect(Math.max(...images)).toBe(4095);
  });
});

describe('seed generator: determinism', () => {
  it('gives byte-identical documents for the same size, seed and now', () => {
    const again = generateDataset({ size: 'demo', seed: 7, now: new Date(NOW.getTime()) });
    expect(hashDataset(again)).toBe(hashDataset(dataset));
  });

  it('does not depend on batch size', () => {
    expect(hashDataset(dataset, 7)).toBe(hashDataset(dataset));
  });

  it('changes with the seed', () => {
    const other = generateDataset({ size: 'demo', seed: 8, now: NOW });
    expect(hashDataset(other)).not.toBe(hashDataset(dataset));
  });

  it('rejects a bad seed', () => {
    expect(() => generateDataset({ size: 'demo', seed: -1, now: NOW })).toThrow(/seed/);
    expect(() => generateDataset({ size: 'demo', seed: 1.5, now: NOW })).toThrow(/seed/);
  });
});

describe('seed generator: counts', () => {
  it('matches SEED_SIZES.demo', () => {
    const demo = SEED_SIZES.demo;
    expect({
      teams: teams.length,
      employees: employees.length,
      clients: clients.length,
      caseNotes: notes.length,
      homeVisits: visits.length,
      consents: consents.length,
      disclosures: disclosures.length,
      exceptionalDisclosures: exceptionals.length,
    }).toEqual(demo);
    expect(posts).toEqual(POSTS);
  });

  it('bench is at least the size the design asks for', () => {
    const bench = SEED_SIZES.bench;
    expect(bench.clients).toBeGreaterThanOrEqual(100_000);
    expect(bench.employees).toBeGreaterThanOrEqual(2_000);
    expect(bench.caseNotes).toBeGreaterThanOrEqual(1_000_000);
    expect(bench.consents).toBeGreaterThanOrEqual(50_000);
  });

  it('never repeats an id within a collection', () => {
    for (const docs of [clients, notes, visits, employees, teams, consents, disclosures, exceptionals]) {
      expect(new Set(docs.map((d) => d._id)).size).toBe(docs.length);
    }
    expect(new Set(employees.map((e) => e.staffId)).size).toBe(employees.length);
    expect(new Set(employees.map((e) => e.payrollNumber)).size).toBe(employees.length);
  });
});

describe('seed generator: personas', () => {
  it('has the two named teams with their services and managers', () => {
    expect(teamById.get(TEAM_NORTH)).toMatchObject({ service: 'Housing support', managerStaffId: PERSONAS.teamManagerNorth });
    expect(teamById.get(TEAM_SOUTH)).toMatchObject({ service: 'Mental health support', managerStaffId: PERSONAS.teamManagerSouth });
  });

  it('has every fixed staff member in the post and team the personas name', () => {
    for (const staff of PERSONA_STAFF) {
      expect(employee(staff.staffId)).toMatchObject({ name: staff.name, postId: staff.postId, teamId: staff.teamId });
    }
    expect(employee(PERSONAS.keyworkerOfSam).teamId).toBe(TEAM_NORTH);
    expect(employee(PERSONAS.otherSupportWorker).teamId).toBe(TEAM_NORTH);
  });

  it('Sam is a trainee employee of team_south, shaped like every other employee', () => {
    const sam = employee(PERSONAS.sam.staffId);
    expect(sam).toMatchObject({
      _id: PERSONAS.sam.employeeId,
      name: PERSONAS.sam.name,
      dateOfBirth: PERSONAS.sam.dateOfBirth,
      teamId: TEAM_SOUTH,
      postId: POST_IDS.traineeSupportWorker,
      lineManagerStaffId: PERSONAS.teamManagerSouth,
      contract: { type: 'TRAINEE' },
    });
    const samKeys = new Set(Object.keys(sam));
    for (const other of employees) for (const key of Object.keys(other)) expect(samKeys.has(key), key).toBe(true);
    const otherTrainees = employees.filter((e) => e.postId === POST_IDS.traineeSupportWorker && e !== sam);
    expect(otherTrainees.length).toBeGreaterThan(0);
    for (const other of otherTrainees) {
      expect(Object.keys(sam).sort()).toEqual(Object.keys(other).sort());
      expect(Object.keys(sam.contract).sort()).toEqual(Object.keys(other.contract).sort());
      expect(Object.keys(sam.dbsCheck ?? {}).sort()).toEqual(Object.keys(other.dbsCheck ?? {}).sort());
    }
  });

  it("Sam's client record is restricted SERVICE_USER_EMPLOYEE in team_north with the same name and birth date", () => {
    const record = client(PERSONAS.sam.clientId);
    expect(record).toMatchObject({
      name: PERSONAS.sam.name,
      dateOfBirth: PERSONAS.sam.dateOfBirth,
      teamId: TEAM_NORTH,
      status: 'OPEN',
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: { reason: 'SERVICE_USER_EMPLOYEE', contactStaffId: PERSONAS.teamManagerNorth },
    });
    expect(record.keyworkerStaffIds).not.toContain(PERSONAS.otherSupportWorker);
  });

  it("Sam's employee and client ids are unrelated strings", () => {
    const { employeeId, clientId, staffId } = PERSONAS.sam;
    expect(longestCommonRun(hexOf(employeeId), hexOf(clientId))).toBeLessThan(2);
    expect(longestCommonRun(hexOf(employeeId), hexOf(staffId))).toBeLessThan(2);
    expect(longestCommonRun(hexOf(clientId), hexOf(staffId))).toBeLessThan(2);
    // Same alphabet and length as every generated id, so neither stands out.
    for (const e of employees) expect(e._id).toMatch(/^emp_[0-9a-f]{8}$/);
    for (const c of clients) expect(c._id).toMatch(/^cli_[0-9a-f]{8}$/);
    for (const e of employees) expect(e.staffId).toMatch(/^stf_\d{4}$/);
  });

  it('no generated record borrows a persona name', () => {
    const named = [...clients.map((c) => c.name), ...employees.map((e) => e.name)];
    for (const name of PERSONA_NAMES) {
      const expected = name === PERSONAS.sam.name ? 2 : 1;
      expect(
        named.filter((n) => n === name),
        name,
      ).toHaveLength(expected);
    }
  });

  it('the refuge resident and the ordinary client are on keyworkerOfSam’s caseload', () => {
    expect(client(PERSONAS.refugeResident.clientId)).toMatchObject({
      name: PERSONAS.refugeResident.name,
      teamId: TEAM_NORTH,
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: { reason: 'REFUGE_RESIDENT', contactStaffId: PERSONAS.teamManagerNorth },
    });
    const ordinary = client(PERSONAS.ordinaryClient.clientId);
    expect(ordinary).toMatchObject({ name: PERSONAS.ordinaryClient.name, teamId: TEAM_NORTH, status: 'OPEN' });
    expect(ordinary.keyworkerStaffIds).toContain(PERSONAS.keyworkerOfSam);
    expect(ordinary.restriction).toBeUndefined();
    expect(clients.some((c) => c.keyworkerStaffIds.includes(PERSONAS.otherSupportWorker))).toBe(true);
  });

  it('has the visit in progress and the ended visit', () => {
    const inProgress = visits.find((v) => v._id === PERSONAS.visitInProgress.visitId);
    expect(inProgress).toMatchObject({
      clientId: PERSONAS.refugeResident.clientId,
      workerStaffId: PERSONAS.keyworkerOfSam,
      startedAt: new Date(NOW.getTime() - 30 * MINUTE),
      address: client(PERSONAS.refugeResident.clientId).address,
    });
    expect(inProgress && 'endedAt' in inProgress).toBe(false);
    const ended = visits.find((v) => v._id === PERSONAS.visitEnded.visitId);
    expect(ended).toMatchObject({ clientId: PERSONAS.ordinaryClient.clientId, workerStaffId: PERSONAS.keyworkerOfSam });
    expect(ended?.endedAt?.getTime()).toBeLessThan(NOW.getTime());
    const open = visits.filter((v) => v.endedAt === undefined);
    expect(open.length).toBeLessThanOrEqual(3);
    expect(new Set(open.map((v) => v.workerStaffId)).size).toBe(open.length);
  });

  it("has Sam's consent to the NHS trust", () => {
    expect(consents.find((c) => c._id === PERSONAS.samConsentToNhs.consentId)).toEqual({
      _id: PERSONAS.samConsentToNhs.consentId,
      subjectClientId: PERSONAS.sam.clientId,
      recipientOrganisation: PERSONAS.agencies.nhsTrust,
      recipientType: 'NHS',
      purpose: 'care coordination',
      dataCategories: ['IDENTITY', 'CONTACT'],
      signedBy: 'SUBJECT',
      signedHow: 'ELECTRONIC',
      signedAt: new Date(NOW.getTime() - 30 * 24 * HOUR),
      validFrom: new Date(NOW.getTime() - 30 * 24 * HOUR),
      validUntil: new Date(NOW.getTime() + 335 * 24 * HOUR),
    });
  });

  it('has the exceptional disclosure to the police', () => {
    expect(exceptionals.find((e) => e._id === PERSONAS.exceptionalDisclosureToPolice.id)).toMatchObject({
      subjectClientId: PERSONAS.ordinaryClient.clientId,
      recipientOrganisation: PERSONAS.agencies.police,
      legalBasis: 'SERIOUS_HARM',
      dataCategories: ['IDENTITY', 'CONTACT'],
      openedByStaffId: PERSONAS.safeguardingOfficer,
      openedAt: new Date(NOW.getTime() - HOUR),
      expiresAt: new Date(NOW.getTime() + 71 * HOUR),
    });
  });
});

describe('seed generator: service-user employees', () => {
  it('has at least two besides Sam, each an employee and a restricted client of another team', () => {
    const serviceUsers = clients.filter((c) => c.restriction?.reason === 'SERVICE_USER_EMPLOYEE' && c._id !== PERSONAS.sam.clientId);
    expect(serviceUsers.length).toBeGreaterThanOrEqual(2);
    for (const record of serviceUsers) {
      const matches = employees.filter((e) => e.name === record.name && e.dateOfBirth === record.dateOfBirth);
      expect(matches, record.name).toHaveLength(1);
      const [person] = matches;
      expect(person?.teamId).not.toBe(record.teamId);
      expect(record.keyworkerStaffIds).not.toContain(person?.staffId);
      expect(longestCommonRun(hexOf(record._id), hexOf(person?._id ?? ''))).toBeLessThan(5);
    }
  });
});

describe('seed generator: the client database’s list of people known to the organisation', () => {
  it('holds the name of every client and every employee, as keys, once each, and nothing else', () => {
    const expected = new Set([...clients.map((c) => c.name), ...employees.map((e) => e.name)].flatMap(nameKeys));
    expect(personNames.map((entry) => entry._id)).toEqual([...expected].sort());
    for (const entry of personNames) expect(Object.keys(entry)).toEqual(['_id']);
    for (const staff of PERSONA_STAFF) expect(expected.has(nameKey(staff.name)), staff.name).toBe(true);
  });

  it('says nothing of whose name a key is: Sam, client and employee, is one entry like anyone else', () => {
    expect(personNames.filter((entry) => entry._id === nameKey(PERSONAS.sam.name))).toEqual([{ _id: nameKey(PERSONAS.sam.name) }]);
    expect(personNames.filter((entry) => entry._id === nameKey(PERSONAS.ordinaryClient.name))).toHaveLength(1);
  });
});

describe('seed generator: referential integrity', () => {
  it('every team has a manager in that team, and line managers exist', () => {
    for (const team of teams) {
      expect(team.managerStaffId).toBeDefined();
      expect(employee(team.managerStaffId ?? '').teamId).toBe(team._id);
    }
    const withoutManager = employees.filter((e) => e.lineManagerStaffId === undefined);
    expect(withoutManager).toHaveLength(1);
    for (const e of employees) if (e.lineManagerStaffId) expect(employeeByStaffId.has(e.lineManagerStaffId)).toBe(true);
    for (const e of employees) expect(posts.some((p) => p._id === e.postId)).toBe(true);
  });

  it('keyworkers are support workers of the client’s team; restricted contacts are the team manager', () => {
    const keyworkerPosts: string[] = [POST_IDS.supportWorker, POST_IDS.seniorSupportWorker];
    for (const c of clients) {
      expect(c.keyworkerStaffIds.length).toBeGreaterThanOrEqual(1);
      expect(c.keyworkerStaffIds.length).toBeLessThanOrEqual(2);
      expect(new Set(c.keyworkerStaffIds).size).toBe(c.keyworkerStaffIds.length);
      for (const staffId of c.keyworkerStaffIds) {
        const worker = employee(staffId);
        expect(worker.teamId).toBe(c.teamId);
        expect(keyworkerPosts).toContain(worker.postId);
      }
      if (c.restriction) expect(c.restriction.contactStaffId).toBe(teamById.get(c.teamId ?? '')?.managerStaffId);
    }
  });

  it('case notes are written by the client’s keyworkers, before now, and corrections point back', () => {
    const noteById = new Map(notes.map((n, i) => [n._id, { note: n, position: i }]));
    let corrections = 0;
    notes.forEach((note, position) => {
      const c = client(note.clientId);
      expect(c.keyworkerStaffIds).toContain(note.authorStaffId);
      expect(note.occurredAt.getTime()).toBeLessThan(note.recordedAt.getTime());
      expect(note.recordedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      if (note.correctsNoteId !== undefined) {
        corrections++;
        const target = noteById.get(note.correctsNoteId);
        expect(target).toBeDefined();
        expect(target?.note.clientId).toBe(note.clientId);
        expect(target?.position).toBeLessThan(position);
        expect(target?.note.recordedAt.getTime()).toBeLessThan(note.recordedAt.getTime());
      }
    });
    expect(corrections).toBeGreaterThan(0);
    expect(new Set(notes.map((n) => n.clientId)).size).toBeGreaterThan(clients.length * 0.9);
  });

  it('home visits are made by a keyworker of the client to the client’s address', () => {
    for (const v of visits) {
      const c = client(v.clientId);
      expect(c.keyworkerStaffIds).toContain(v.workerStaffId);
      expect(v.address).toEqual(c.address);
      expect(v.startedAt.getTime()).toBeLessThan(NOW.getTime());
      if (v.endedAt) expect(v.endedAt.getTime()).toBeGreaterThan(v.startedAt.getTime());
    }
    expect(visits.filter((v) => v.endedAt && v.endedAt.getTime() < NOW.getTime()).length).toBeGreaterThan(100);
  });

  it('consents, disclosures and exceptional disclosures refer to records that exist', () => {
    const consentById = new Map(consents.map((c) => [c._id, c]));
    const exceptionalById = new Map(exceptionals.map((e) => [e._id, e]));
    for (const c of consents) {
      expect(clientById.has(c.subjectClientId)).toBe(true);
      expect(c.dataCategories.length).toBeGreaterThan(0);
      expect(c.validFrom.getTime()).toBeLessThan(c.validUntil.getTime());
      expect(c.signedAt.getTime()).toBeLessThanOrEqual(c.validFrom.getTime());
      if (c.withdrawnAt) expect(c.withdrawnAt.getTime()).toBeGreaterThanOrEqual(c.validFrom.getTime());
    }
    for (const e of exceptionals) {
      expect(clientById.has(e.subjectClientId)).toBe(true);
      expect(employee(e.openedByStaffId).postId).toBe(POST_IDS.safeguardingLead);
      expect(e.expiresAt.getTime()).toBeGreaterThan(e.openedAt.getTime());
      if (e.closedAt) expect(e.closedAt.getTime()).toBeLessThanOrEqual(e.expiresAt.getTime());
    }
    for (const d of disclosures) {
      expect(clientById.has(d.subjectClientId)).toBe(true);
      if (d.madeByStaffId) expect(employeeByStaffId.has(d.madeByStaffId)).toBe(true);
      const source = d.basis === 'CONSENT' ? consentById.get(d.consentId ?? '') : exceptionalById.get(d.exceptionalDisclosureId ?? '');
      expect(source, d._id).toBeDefined();
      expect(source?.subjectClientId).toBe(d.subjectClientId);
      expect(source?.recipientOrganisation).toBe(d.recipientOrganisation);
      for (const category of d.dataCategories) expect(source?.dataCategories).toContain(category);
      expect(d.madeAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
    }
    expect(disclosures.some((d) => d.basis === 'CONSENT')).toBe(true);
  });
});

describe('seed generator: realistic but never real', () => {
  it('NI numbers start with QQ, postcodes with Q, phones are in the drama ranges', () => {
    for (const e of employees) {
      expect(e.niNumber).toMatch(/^QQ\d{6}[A-D]$/);
      expect(e.homeAddress.postcode).toMatch(/^Q[A-Z]\d{1,2} \d[A-Z]{2}$/);
      expect(e.workPhone).toMatch(/^01632 960\d{3}$/);
    }
    for (const c of clients) {
      expect(c.address?.postcode).toMatch(/^Q[A-Z]\d{1,2} \d[A-Z]{2}$/);
      expect(c.phone).toMatch(/^07700 900\d{3}$/);
    }
  });

  it('ages, statuses and restrictions fall in the expected ranges', () => {
    for (const c of clients) {
      const age = ageOn(c.dateOfBirth ?? '', NOW);
      expect(age).toBeGreaterThanOrEqual(16);
      expect(age).toBeLessThanOrEqual(90);
      if (c.status === 'CLOSED') expect((c.closedOn ?? '') > c.referredOn).toBe(true);
      else expect(c.closedOn).toBeUndefined();
    }
    for (const e of employees) {
      const age = ageOn(e.dateOfBirth, NOW);
      expect(age).toBeGreaterThanOrEqual(18);
      expect(age).toBeLessThanOrEqual(70);
    }
    const closed = clients.filter((c) => c.status === 'CLOSED').length;
    expect(closed).toBeGreaterThan(0);
    expect(closed).toBeLessThan(clients.length / 2);
    const otherRestricted = clients.filter((c) => c.restriction && c.restriction.reason !== 'SERVICE_USER_EMPLOYEE');
    expect(otherRestricted.length).toBeGreaterThan(1);
    expect(otherRestricted.length).toBeLessThan(clients.length * 0.06);
  });

  it('consents include withdrawn and expired ones across recipient types', () => {
    expect(consents.some((c) => c.withdrawnAt !== undefined)).toBe(true);
    expect(consents.some((c) => c.validUntil.getTime() < NOW.getTime())).toBe(true);
    expect(new Set(consents.map((c) => c.recipientType))).toEqual(new Set(['NHS', 'LOCAL_AUTHORITY', 'POLICE', 'OTHER']));
    expect(exceptionals.some((e) => e.expiresAt.getTime() < NOW.getTime() || e.closedAt !== undefined)).toBe(true);
  });
});
