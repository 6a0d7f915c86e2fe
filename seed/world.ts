/**
 * What the three stores share: the teams, who works in which post where, and where the fixed
 * (persona) clients sit among the generated ones. Small enough to hold in memory at every
 * size; built once per dataset and read by every store, so they all see the same staff and
 * layout. Records of one store that another store looks up (clients, consents, exceptional
 * disclosures) are reached through the lookups here, each rebuilt from its own stream.
 */
import type { ClientDoc, RestrictionReasonValue } from '../subgraphs/clients/documents.js';
import type { ConsentDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import type { EmployeeDoc, TeamDoc } from '../subgraphs/hr/documents.js';
import { makeClient } from './clients-store.js';
import { makeConsentLookup, makeExceptionalLookup } from './consent-store.js';
import type { SeedCounts, SeedSize } from './generate.js';
import { buildEmployees } from './hr-store.js';
import { FIXED_TEAMS, PERSONAS, PERSONA_STAFF, POST_IDS, TEAM_CENTRAL, TEAM_NORTH, TEAM_SOUTH, type PostId } from './personas.js';
import { createRng, type Rng } from './random.js';
import { idFactory, must, placeSpecials } from './records.js';
import { VOCABULARY } from './vocabulary.js';

/** The options of one generation, checked. */
export interface Ctx {
  size: SeedSize;
  seed: number;
  nowMs: number;
  counts: Readonly<SeedCounts>;
}

export interface StaffSpec {
  staffId: string;
  teamId: string;
  postId: PostId;
  fixedName?: string;
  fixedDateOfBirth?: string;
  fixedEmployeeId?: string;
  /** Set for service-user employees: the team whose client this person also is. */
  clientTeamId?: string;
}

interface FixedClient {
  /** Absent for generated service-user employees, whose client id is generated like any other. */
  id?: string;
  name?: string;
  dateOfBirth?: string;
  teamId: string;
  keyworkerStaffIds?: readonly string[];
  restriction?: RestrictionReasonValue;
}

export interface World {
  ctx: Ctx;
  teams: TeamDoc[];
  serviceTeams: TeamDoc[];
  managerOf: ReadonlyMap<string, string>;
  keyworkersOf: ReadonlyMap<string, readonly string[]>;
  employees: EmployeeDoc[];
  safeguardingLeads: readonly string[];
  clientLayout: ReadonlyMap<number, FixedClient>;
  clientIndexOf: { sam: number; refuge: number; ordinary: number };
  clientIdAt: (index: number) => string;
  clientAt: (index: number) => ClientDoc;
  consentAt: (index: number) => Subjected<ConsentDoc>;
  exceptionalAt: (index: number) => Subjected<ExceptionalDisclosureDoc>;
}

/** A generated record with the position of its subject among the clients. */
export interface Subjected<T> {
  doc: T;
  subjectIndex: number;
}

const KEYWORKER_POSTS: ReadonlySet<PostId> = new Set([POST_IDS.supportWorker, POST_IDS.seniorSupportWorker]);

export function buildWorld(ctx: Ctx): World {
  const teams = buildTeams(ctx);
  const serviceTeams = teams.filter((t) => t._id !== TEAM_CENTRAL);
  const specs = planStaff(ctx, serviceTeams);

  const managerOf = new Map<string, string>();
  const keyworkersOf = new Map<string, string[]>();
  for (const spec of specs) {
    if (spec.postId === POST_IDS.teamManager || spec.postId === POST_IDS.headOfServices) managerOf.set(spec.teamId, spec.staffId);
    if (KEYWORKER_POSTS.has(spec.postId)) keyworkersOf.set(spec.teamId, [...(keyworkersOf.get(spec.teamId) ?? []), spec.staffId]);
  }
  for (const team of teams) team.managerStaffId = must(managerOf.get(team._id), `manager of ${team._id}`);

  const employees = buildEmployees(ctx, specs, managerOf);
  const safeguardingLeads = specs.filter((s) => s.postId === POST_IDS.safeguardingLead).map((s) => s.staffId);

  const layoutRng = createRng(ctx.seed, 'clients/layout');
  const fixedClients: FixedClient[] = [
    {
      id: PERSONAS.sam.clientId,
      name: PERSONAS.sam.name,
      dateOfBirth: PERSONAS.sam.dateOfBirth,
      teamId: TEAM_NORTH,
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: 'SERVICE_USER_EMPLOYEE',
    },
    {
      id: PERSONAS.refugeResident.clientId,
      name: PERSONAS.refugeResident.name,
      teamId: TEAM_NORTH,
      keyworkerStaffIds: [PERSONAS.keyworkerOfSam],
      restriction: 'REFUGE_RESIDENT',
    },
    { id: PERSONAS.ordinaryClient.clientId, name: PERSONAS.ordinaryClient.name, teamId: TEAM_NORTH, keyworkerStaffIds: [PERSONAS.keyworkerOfSam] },
  ];
  const byStaffId = new Map(employees.map((e) => [e.staffId, e]));
  for (const spec of specs) {
    if (spec.clientTeamId === undefined || spec.staffId === PERSONAS.sam.staffId) continue;
    const employee = must(byStaffId.get(spec.staffId), `employee ${spec.staffId}`);
    fixedClients.push({ name: employee.name, dateOfBirth: employee.dateOfBirth, teamId: spec.clientTeamId, restriction: 'SERVICE_USER_EMPLOYEE' });
  }
  const clientLayout = placeSpecials(layoutRng, ctx.counts.clients, fixedClients);
  const indexOfId = (id: string): number => must([...clientLayout].find(([, c]) => c.id === id)?.[0], `position of ${id}`);

  const clientIds = idFactory(ctx.seed, 'clients', 'cli_', 32);
  const clientIdAt = (index: number): string => clientLayout.get(index)?.id ?? clientIds(index);

  const partial = {
    ctx,
    teams,
    serviceTeams,
    managerOf,
    keyworkersOf,
    employees,
    safeguardingLeads,
    clientLayout,
    clientIndexOf: {
      sam: indexOfId(PERSONAS.sam.clientId),
      refuge: indexOfId(PERSONAS.refugeResident.clientId),
      ordinary: indexOfId(PERSONAS.ordinaryClient.clientId),
    },
    clientIdAt,
  };
  const clientAt = (index: number): ClientDoc => makeClient(partial, index);
  const consentAt = makeConsentLookup(partial);
  const exceptionalAt = makeExceptionalLookup(partial);
  return { ...partial, clientAt, consentAt, exceptionalAt };
}

function buildTeams(ctx: Ctx): TeamDoc[] {
  if (ctx.counts.teams < FIXED_TEAMS.length + 1) throw new RangeError(`need at least ${FIXED_TEAMS.length + 1} teams`);
  const rng = createRng(ctx.seed, 'teams');
  const teams: TeamDoc[] = FIXED_TEAMS.map((t) => ({ ...t }));
  const ids = new Set(teams.map((t) => t._id));
  const names = new Set(teams.map((t) => t.name));
  while (teams.length < ctx.counts.teams) {
    const { service, teamNoun } = rng.pick(VOCABULARY.services);
    const name = `${rng.pick(VOCABULARY.places.towns).name} ${teamNoun}`;
    const id = `team_${rng.hexId(6)}`;
    if (ids.has(id) || names.has(name)) continue;
    ids.add(id);
    names.add(name);
    teams.push({ _id: id, name, service });
  }
  return teams;
}

/** Who works where, before any personal detail is drawn. Returned in insertion order. */
function planStaff(ctx: Ctx, serviceTeams: readonly TeamDoc[]): StaffSpec[] {
  const rng = createRng(ctx.seed, 'employees/plan');
  const total = ctx.counts.employees;
  const fixed: StaffSpec[] = PERSONA_STAFF.map((p) => ({ staffId: p.staffId, teamId: p.teamId, postId: p.postId, fixedName: p.name }));
  fixed.push({
    staffId: PERSONAS.sam.staffId,
    teamId: TEAM_SOUTH,
    postId: POST_IDS.traineeSupportWorker,
    fixedName: PERSONAS.sam.name,
    fixedDateOfBirth: PERSONAS.sam.dateOfBirth,
    fixedEmployeeId: PERSONAS.sam.employeeId,
    clientTeamId: TEAM_NORTH,
  });

  type Role = Omit<StaffSpec, 'staffId'>;
  const roles: Role[] = [{ teamId: TEAM_CENTRAL, postId: POST_IDS.headOfServices }];
  for (const team of serviceTeams) {
    if (team._id === TEAM_NORTH || team._id === TEAM_SOUTH) continue;
    roles.push({ teamId: team._id, postId: POST_IDS.teamManager });
  }
  // Every service team needs keyworkers; north already has two personas.
  for (const team of serviceTeams) {
    if (team._id === TEAM_NORTH) continue;
    roles.push({ teamId: team._id, postId: POST_IDS.supportWorker }, { teamId: team._id, postId: POST_IDS.supportWorker });
  }
  const central: [PostId, number][] = [
    [POST_IDS.hrOfficer, Math.max(1, Math.round(total * 0.006))],
    [POST_IDS.dutyOfficer, Math.max(1, Math.round(total * 0.004))],
    [POST_IDS.safeguardingLead, Math.round(total * 0.002)],
    [POST_IDS.administrator, Math.round(total * 0.004)],
  ];
  for (const [postId, count] of central) for (let i = 0; i < count; i++) roles.push({ teamId: TEAM_CENTRAL, postId });

  const remaining = total - fixed.length - roles.length;
  if (remaining < 0) throw new RangeError(`${total} employees cannot staff ${serviceTeams.length + 1} teams`);
  const frontline: Role[] = [];
  for (let i = 0; i < remaining; i++) {
    const postId = rng.weighted<PostId>([
      [POST_IDS.supportWorker, 60],
      [POST_IDS.seniorSupportWorker, 18],
      [POST_IDS.traineeSupportWorker, 17],
      [POST_IDS.administrator, 5],
    ]);
    frontline.push({ teamId: rng.pick(serviceTeams)._id, postId });
  }
  // Service-user employees besides Sam: about 0.5% of staff, never managers, each a client of
  // a team other than their own.
  const serviceUserCount = Math.min(frontline.length, Math.max(2, Math.round(total * 0.005)));
  for (const role of rng.sample(frontline, serviceUserCount)) {
    role.clientTeamId = rng.pick(serviceTeams.filter((t) => t._id !== role.teamId))._id;
  }

  const specs: StaffSpec[] = [...fixed, ...assignStaffIds(rng, [...roles, ...frontline])];
  // Insertion order must not reveal who is a persona or a service user.
  return rng.shuffle(specs);
}

/** Staff ids are random 4-digit numbers, so the number says nothing about when or why someone was added. */
function assignStaffIds(rng: Rng, roles: readonly Omit<StaffSpec, 'staffId'>[]): StaffSpec[] {
  const taken = new Set<string>([...PERSONA_STAFF.map((p) => p.staffId), PERSONAS.sam.staffId]);
  const lowest = PERSONA_STAFF.length + 1;
  if (roles.length > 9999 - lowest + 1 - taken.size) throw new RangeError(`too many employees for 4-digit staff ids`);
  return roles.map((role) => {
    let staffId: string;
    do staffId = `stf_${String(rng.int(lowest, 9999)).padStart(4, '0')}`;
    while (taken.has(staffId));
    taken.add(staffId);
    return { ...role, staffId };
  });
}
