import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extendSchema, parse, type GraphQLSchema } from 'graphql';
import { PERSONAS } from '../seed/personas.js';
import { ID_ARGUMENTS, POLICY, policyFor } from '../shield/rules.js';
import { audienceOf } from '../shield/audience.js';
import { ROLES, type Principal, type Role } from '../shield/roles.js';
import type { CaseNoteDoc, ClientDoc, HomeVisitDoc } from '../subgraphs/clients/documents.js';
import type { EmployeeDoc, PostDoc, TeamDoc } from '../subgraphs/hr/documents.js';
import type { ConsentDoc, DataCategoryValue, DisclosureDoc, ExceptionalDisclosureDoc } from '../subgraphs/consent/documents.js';
import { buildApiSchema, operationTreeArbitrary, renderOperation, type IdSlot, type OperationTree } from './support/operation-arbitrary.js';
import { startTestStack, type GraphQLResponseBody, type TestStack } from './support/test-stack.js';
import {
  alex,
  dpo,
  dutyOfficer,
  hr,
  jordan,
  keyworkerOfSam,
  nhsTrust,
  otherSupportWorker,
  police,
  reporting,
  safeguardingOfficer,
  sam,
  teamManagerNorth,
  teamManagerSouth,
  trustee,
} from './support/principals.js';

/**
 * Privacy invariants 1–4 as a property: for random valid operations over the supergraph and
 * random principals of every role, no value the principal may not see appears anywhere in the
 * response body, and every error is the uniform denial (or a generic bad-input error).
 *
 * The oracle is computed from the raw databases and the policy's semantics (the roles of
 * docs/POLICY.md, as `shield/rules.ts` states them), never from the gateway. A control runs the
 * same operations and oracle against a stack without redaction and must find leaks there.
 *
 * Aliases named like the fields the query planner adds for entity fetches (`id`, `__typename`)
 * are generated too: @apollo/gateway's result merge mixes them up (apollographql/federation#3036),
 * which the gateway avoids by fetching every client alias under an internal key
 * (`CLIENT_KEY_PREFIX`, gateway/redaction/aliases.ts); a case below pins the shapes that once leaked.
 *
 * Replay a failure with REDACTION_PROPERTY_SEED=<seed> and REDACTION_PROPERTY_PATH=<path>
 * (both printed with the counterexample); REDACTION_PROPERTY_RUNS changes the number of runs.
 */

const SEED = Number(process.env.REDACTION_PROPERTY_SEED ?? 20_260_917);
const NUM_RUNS = Number(process.env.REDACTION_PROPERTY_RUNS ?? 150);
const REPLAY_PATH = process.env.REDACTION_PROPERTY_PATH;
const CONTROL_RUNS = 30;
/** Shorter values are too likely to occur by accident (enum fragments, digits). */
const MIN_SECRET_LENGTH = 4;
/** Consents, break-glass records and visits that change state this close to now count as both. */
const CLOCK_SLACK_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// Principals: every role, from the seeded personas

interface NamedPrincipal {
  readonly label: string;
  readonly principal: Principal;
}

const PRINCIPALS: readonly NamedPrincipal[] = [
  { label: 'support worker, keyworker of Sam', principal: keyworkerOfSam },
  { label: 'support worker, not in Sam’s circle', principal: otherSupportWorker },
  // Sam's staff sub alone, without the team_south claim `samAsStaff` carries.
  { label: 'support worker Sam (staff identity)', principal: { role: 'support_worker', sub: PERSONAS.sam.staffId } },
  { label: 'team manager north', principal: teamManagerNorth },
  { label: 'team manager south', principal: teamManagerSouth },
  { label: 'duty officer', principal: dutyOfficer },
  { label: 'hr officer', principal: hr },
  { label: 'safeguarding officer', principal: safeguardingOfficer },
  { label: 'data protection officer', principal: dpo },
  { label: 'trustee', principal: trustee },
  { label: 'reporting', principal: reporting },
  { label: 'service user Sam', principal: sam },
  { label: 'service user Alex (ordinary client)', principal: alex },
  { label: 'service user Jordan (refuge resident)', principal: jordan },
  {
    label: 'external agency NHS trust',
    principal: nhsTrust,
  },
  {
    label: 'external agency police',
    principal: police,
  },
];

function by(label: string): NamedPrincipal {
  const found = PRINCIPALS.find((p) => p.label === label);
  if (!found) throw new Error(`no principal ${label}`);
  return found;
}

// ---------------------------------------------------------------------------------------------
// The raw databases

interface World {
  readonly clients: readonly ClientDoc[];
  readonly caseNotes: readonly CaseNoteDoc[];
  readonly homeVisits: readonly HomeVisitDoc[];
  readonly employees: readonly EmployeeDoc[];
  readonly teams: readonly TeamDoc[];
  readonly posts: readonly PostDoc[];
  readonly consents: readonly ConsentDoc[];
  readonly disclosures: readonly DisclosureDoc[];
  readonly exceptional: readonly ExceptionalDisclosureDoc[];
}

async function readWorld(stack: TestStack): Promise<World> {
  const all = async <T>(db: 'clients' | 'hr' | 'consent', collection: string) =>
    (await stack.db(db).collection(collection).find({}).toArray()) as unknown as T[];
  const [clients, caseNotes, homeVisits, employees, teams, posts, consents, disclosures, exceptional] = await Promise.all([
    all<ClientDoc>('clients', 'clients'),
    all<CaseNoteDoc>('clients', 'caseNotes'),
    all<HomeVisitDoc>('clients', 'homeVisits'),
    all<EmployeeDoc>('hr', 'employees'),
    all<TeamDoc>('hr', 'teams'),
    all<PostDoc>('hr', 'posts'),
    all<ConsentDoc>('consent', 'consents'),
    all<DisclosureDoc>('consent', 'disclosures'),
    all<ExceptionalDisclosureDoc>('consent', 'exceptionalDisclosures'),
  ]);
  return { clients, caseNotes, homeVisits, employees, teams, posts, consents, disclosures, exceptional };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Every string a document would show, dates as the subgraphs print them; reference keys (raw ids) left out. */
function leaves(value: unknown, out: string[] = []): string[] {
  if (value === null || value === undefined) return out;
  if (value instanceof Date) out.push(value.toISOString());
  else if (typeof value === 'string') out.push(value);
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value));
  else if (Array.isArray(value)) for (const item of value) leaves(item, out);
  else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '_id' || key === 'id' || /Ids?$/.test(key)) continue;
      leaves(inner, out);
    }
  }
  return out;
}

/** Every raw id in the databases: they must never reach anyone (IDs are opaque per audience). */
function rawIds(world: World): Set<string> {
  const ids = new Set<string>();
  const collections: readonly (readonly { _id: string }[])[] = [
    world.clients,
    world.caseNotes,
    world.homeVisits,
    world.employees,
    world.teams,
    world.posts,
    world.consents,
    world.disclosures,
    world.exceptional,
  ];
  for (const docs of collections) for (const doc of docs) ids.add(doc._id);
  for (const employee of world.employees) {
    ids.add(employee.staffId);
    for (const absence of employee.absences) ids.add(absence.id);
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------
// The oracle: what a principal may not see, from the databases and the policy's semantics

const STAFF_ROLES: readonly Role[] = ['support_worker', 'team_manager', 'duty_officer', 'hr', 'safeguarding_officer', 'data_protection_officer'];

interface Leak {
  readonly value: string;
  readonly what: string;
}

interface Oracle {
  readonly secretCount: number;
  leaksIn(body: unknown): Leak[];
}

function buildOracle(world: World, principal: Principal, at: Date): Oracle {
  const { role } = principal;
  const from = at.getTime() - CLOCK_SLACK_MS;
  const to = at.getTime() + CLOCK_SLACK_MS;
  const care = role === 'support_worker' || role === 'team_manager';
  const oversight = role === 'safeguarding_officer' || role === 'data_protection_officer';

  const notesOf = groupBy(world.caseNotes, (n) => n.clientId);
  const visitsOf = groupBy(world.homeVisits, (v) => v.clientId);
  const consentsOf = groupBy(world.consents, (c) => c.subjectClientId);
  const disclosuresOf = groupBy(world.disclosures, (d) => d.subjectClientId);
  const exceptionalOf = groupBy(world.exceptional, (e) => e.subjectClientId);

  const allowed: string[] = [];
  const secrets = new Map<string, string>();
  const allow = (...values: unknown[]) => leaves(values, allowed);
  const secret = (value: unknown, what: string) => {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH && !secrets.has(value)) secrets.set(value, what);
  };

  // Circles (shield/conditions.ts): keyworker, the client's team manager, the person themself.
  const keyworker = (c: ClientDoc) => role === 'support_worker' && c.keyworkerStaffIds.includes(principal.sub);
  const teamManager = (c: ClientDoc) => role === 'team_manager' && principal.team !== undefined && c.teamId === principal.team;
  const themself = (c: ClientDoc) => role === 'service_user' && c._id === principal.sub;
  const circle = (c: ClientDoc) => keyworker(c) || teamManager(c) || themself(c);
  // Sharing out: an active consent or break-glass naming the agency and the category, at any moment around now.
  const consentMayBeActive = (x: ConsentDoc) => x.withdrawnAt == null && x.validFrom.getTime() <= to && x.validUntil.getTime() > from;
  const exceptionalMayBeActive = (x: ExceptionalDisclosureDoc) => x.closedAt == null && x.openedAt.getTime() <= to && x.expiresAt.getTime() > from;
  const mayRelease = (c: ClientDoc, category: DataCategoryValue) =>
    role === 'external_agency' &&
    ((consentsOf.get(c._id) ?? []).some(
      (x) => x.recipientOrganisation === principal.agency && x.purpose === principal.purpose && x.dataCategories.includes(category) && consentMayBeActive(x),
    ) ||
      (exceptionalOf.get(c._id) ?? []).some(
        (x) => x.recipientOrganisation === principal.agency && x.dataCategories.includes(category) && exceptionalMayBeActive(x),
      ));
  const fullRecord = (c: ClientDoc, category: DataCategoryValue) => circle(c) || mayRelease(c, category);
  const visitMayBeInProgress = (v: HomeVisitDoc) => v.endedAt == null && v.startedAt.getTime() <= to;

  // Staff reachable from what the principal sees, for roles that have no staff queries.
  const staffSeen = new Set<string>();
  const teamsSeen = new Set<string>();

  for (const c of world.clients) {
    const notes = notesOf.get(c._id) ?? [];
    const visits = visitsOf.get(c._id) ?? [];
    const dutyVisits = role === 'duty_officer' ? visits.filter(visitMayBeInProgress) : [];

    // Client.name (the restricted-notice view): care staff, oversight, themself, IDENTITY shared, duty during a visit.
    if (care || oversight || themself(c) || mayRelease(c, 'IDENTITY') || dutyVisits.length > 0) allow(c.name);
    else secret(c.name, `name of client ${c._id}`);

    if (fullRecord(c, 'IDENTITY')) allow(c.dateOfBirth, c.gender);
    else secret(c.dateOfBirth, `date of birth of client ${c._id}`);

    if (fullRecord(c, 'CONTACT')) allow(c.address, c.phone);
    else {
      secret(c.address?.line1, `address line 1 of client ${c._id}`);
      secret(c.address?.line2, `address line 2 of client ${c._id}`);
      secret(c.address?.postcode, `postcode of client ${c._id}`);
      secret(c.phone, `phone of client ${c._id}`);
    }

    if (fullRecord(c, 'SUPPORT')) {
      allow(c.services, c.status, c.referredOn, c.closedOn);
      c.keyworkerStaffIds.forEach((s) => staffSeen.add(s));
      if (c.teamId) teamsSeen.add(c.teamId);
    }

    // The sealed reason: the designated circle only (keyworkers and the team manager; not even the person themself).
    if (c.restriction) {
      if (care && (keyworker(c) || teamManager(c))) allow(c.restriction.reason, c.restriction.sealedNote);
      else {
        // 'OTHER' is also a recipient type and an absence kind; the specific reasons are unambiguous.
        if (c.restriction.reason !== 'OTHER') secret(c.restriction.reason, `restriction reason of client ${c._id}`);
        secret(c.restriction.sealedNote, `sealed note of client ${c._id}`);
      }
      if (care || themself(c)) staffSeen.add(c.restriction.contactStaffId);
    }

    if (fullRecord(c, 'CASE_NOTES')) {
      allow(notes);
      notes.forEach((n) => n.authorStaffId && staffSeen.add(n.authorStaffId));
    } else for (const n of notes) secret(n.text, `case note ${n._id} of client ${c._id}`);

    if (fullRecord(c, 'HOME_VISITS')) {
      allow(visits);
      visits.forEach((v) => staffSeen.add(v.workerStaffId));
    } else {
      // The duty officer sees a visit in progress, with its address and the client's name.
      allow(dutyVisits);
      dutyVisits.forEach((v) => staffSeen.add(v.workerStaffId));
      for (const v of visits) {
        if (dutyVisits.includes(v)) continue;
        secret(v.address.line1, `address line 1 of home visit ${v._id}`);
        secret(v.address.postcode, `postcode of home visit ${v._id}`);
      }
    }

    if (circle(c) || oversight) {
      allow(consentsOf.get(c._id), disclosuresOf.get(c._id));
      (disclosuresOf.get(c._id) ?? []).forEach((d) => d.madeByStaffId && staffSeen.add(d.madeByStaffId));
    }
    if (oversight) {
      allow(exceptionalOf.get(c._id));
      (exceptionalOf.get(c._id) ?? []).forEach((e) => staffSeen.add(e.openedByStaffId));
    } else for (const e of exceptionalOf.get(c._id) ?? []) secret(e.reason, `break-glass reason ${e._id}`);
  }

  // Reporting sees aggregates labelled with team names, post titles and services: labels, not people.
  if (role === 'reporting') {
    allow(
      world.teams.map((t) => t.name),
      world.posts.map((p) => p.title),
      world.clients.flatMap((c) => c.services),
    );
  }

  // Staff and teams: every staff role has the staff queries; the person themself and agencies
  // only reach staff through what they see (keyworkers, authors, visitors, contacts, and on
  // through team managers); trustees and reporting reach none.
  const staffById = new Map(world.employees.map((e) => [e.staffId, e]));
  const teamById = new Map(world.teams.map((t) => [t._id, t]));
  if (STAFF_ROLES.includes(role)) {
    world.employees.forEach((e) => staffSeen.add(e.staffId));
    world.teams.forEach((t) => teamsSeen.add(t._id));
  }
  if (role === 'service_user' || role === 'external_agency' || STAFF_ROLES.includes(role)) {
    const pending = [...staffSeen];
    const pendingTeams = [...teamsSeen];
    while (pending.length > 0 || pendingTeams.length > 0) {
      const staffId = pending.pop();
      if (staffId !== undefined) {
        const teamId = staffById.get(staffId)?.teamId;
        if (teamId !== undefined && !teamsSeen.has(teamId)) {
          teamsSeen.add(teamId);
          pendingTeams.push(teamId);
        }
      }
      const teamId = pendingTeams.pop();
      const manager = teamId === undefined ? undefined : teamById.get(teamId)?.managerStaffId;
      if (manager !== undefined && !staffSeen.has(manager)) {
        staffSeen.add(manager);
        pending.push(manager);
      }
    }
  } else {
    staffSeen.clear();
    teamsSeen.clear();
  }
  for (const e of world.employees) {
    if (staffSeen.has(e.staffId)) allow(e.name, e.workPhone);
    else {
      secret(e.name, `name of staff member ${e.staffId}`);
      secret(e.workPhone, `work phone of staff member ${e.staffId}`);
    }
  }
  for (const t of world.teams) {
    if (teamsSeen.has(t._id)) allow(t.name, t.service);
    else secret(t.name, `name of team ${t._id}`);
  }

  // Employment data: HR only.
  if (role === 'hr') {
    allow(world.employees, world.posts, world.teams);
  } else {
    for (const e of world.employees) {
      secret(e.niNumber, `NI number of employee ${e._id}`);
      secret(e.payrollNumber, `payroll number of employee ${e._id}`);
      secret(e.dateOfBirth, `date of birth of employee ${e._id}`);
      secret(e.homeAddress.line1, `home address of employee ${e._id}`);
      secret(e.homeAddress.line2, `home address of employee ${e._id}`);
      secret(e.homeAddress.postcode, `home postcode of employee ${e._id}`);
      secret(e.dbsCheck?.certificateNumber, `DBS certificate number of employee ${e._id}`);
    }
  }

  // Raw ids: never, for anyone. They are never "allowed", whatever else is.
  const ids = rawIds(world);
  const allowedText = allowed.filter((value) => !ids.has(value)).join('\u0001');
  for (const value of ids) secrets.set(value, `raw id ${value}`);
  const explained = new Map<string, boolean>();

  return {
    secretCount: secrets.size,
    leaksIn(body) {
      const text = JSON.stringify(body);
      const leaks: Leak[] = [];
      for (const [value, what] of secrets) {
        if (!text.includes(JSON.stringify(value).slice(1, -1))) continue;
        // Equal to, or part of, something the principal may see (two clients in one town, a
        // note text many clients share, a client who is also staff): not evidence of a leak.
        if (!ids.has(value)) {
          let isExplained = explained.get(value);
          if (isExplained === undefined) {
            isExplained = allowedText.includes(value);
            explained.set(value, isExplained);
          }
          if (isExplained) continue;
        }
        leaks.push({ value, what });
      }
      return leaks;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Errors: the uniform denial, or a generic bad-input error; never a message quoting data

const GENERIC_BAD_INPUT = new Set(['Invalid id']);

function unexpectedErrors(body: GraphQLResponseBody): unknown[] {
  return (body.errors ?? []).filter((error) => {
    const code = error.extensions?.code;
    if (code === 'FORBIDDEN') return error.message !== 'Forbidden';
    if (code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED') return !GENERIC_BAD_INPUT.has(error.message);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// ID arguments: the personas' entities, as the caller's audience sees them — or not

interface IdCandidates {
  readonly [typeName: string]: readonly string[];
}

function idCandidates(world: World): IdCandidates {
  const hrOfficer = world.employees.find((e) => e.staffId === PERSONAS.hrOfficer);
  const southClient = world.clients.find((c) => c.teamId === PERSONAS.teams.south && c.restriction === undefined);
  return {
    Client: [PERSONAS.sam.clientId, PERSONAS.refugeResident.clientId, PERSONAS.ordinaryClient.clientId, ...(southClient ? [southClient._id] : [])],
    Team: [PERSONAS.teams.north, PERSONAS.teams.south, PERSONAS.teams.central],
    Employee: [PERSONAS.sam.employeeId, ...(hrOfficer ? [hrOfficer._id] : [])],
    StaffMember: [PERSONAS.keyworkerOfSam, PERSONAS.teamManagerNorth, PERSONAS.sam.staffId, PERSONAS.otherSupportWorker],
  };
}

type Encode = (principal: Principal, typeName: string, rawId: string) => string;

/**
 * Nine choices in ten name a persona's entity as the caller's audience sees it (a service user
 * mostly themself); the rest are another audience's token, a token minted for another type, a
 * tampered token, or the raw id.
 */
function idResolver(candidates: IdCandidates, encode: Encode, principal: Principal) {
  const otherAudience: Principal = audienceOf(principal) === 'care' ? hr : keyworkerOfSam;
  return (slot: IdSlot): string => {
    const list = candidates[slot.typeName] ?? [];
    const own = principal.role === 'service_user' && slot.typeName === 'Client' && slot.choice % 3 !== 0;
    const raw = own ? principal.sub : (list[Math.floor(slot.choice / 40) % list.length] ?? 'missing');
    switch (slot.choice % 40) {
      case 36:
        return encode(otherAudience, slot.typeName, raw);
      case 37: {
        const otherType = Object.keys(candidates).find((name) => name !== slot.typeName) ?? 'Client';
        return encode(principal, slot.typeName, candidates[otherType]?.[0] ?? raw);
      }
      case 38: {
        const token = encode(principal, slot.typeName, raw);
        const at = 3 + (slot.choice % (token.length - 3));
        return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
      }
      case 39:
        return raw;
      default:
        return encode(principal, slot.typeName, raw);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// The generated cases

interface Case {
  readonly who: string;
  readonly principal: Principal;
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

function caseArbitrary(schema: GraphQLSchema, candidates: IdCandidates, encode: Encode): fc.Arbitrary<Case> {
  // One arbitrary per principal, so each mostly asks for root fields its role may query (the
  // rest still turn up, to be denied); the client entry point carries most of what may leak.
  return fc.oneof(
    ...PRINCIPALS.map(({ label, principal }) => {
      const rootWeights = Object.fromEntries(
        Object.keys(POLICY.Query ?? {}).map((field) => [field, policyFor('Query', field)?.decide(principal.role) === 'deny' ? 1 : field === 'client' ? 12 : 6]),
      );
      const trees: fc.Arbitrary<OperationTree> = operationTreeArbitrary({ schema, idArguments: ID_ARGUMENTS, maxDepth: 4, rootWeights });
      return trees.map((tree): Case => {
        const { query, variables } = renderOperation(schema, tree, idResolver(candidates, encode, principal));
        return { who: label, principal, query, variables };
      });
    }),
  );
}

function describeCase(c: Case, body: unknown): string {
  const excerpt = JSON.stringify(body);
  return [
    `principal: ${c.who} ${JSON.stringify(c.principal)}`,
    `operation:\n${c.query}`,
    `variables: ${JSON.stringify(c.variables)}`,
    `response: ${excerpt.length > 3000 ? `${excerpt.slice(0, 3000)}…` : excerpt}`,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

let t: TestStack;
let unredacted: TestStack;
let schema: GraphQLSchema;

beforeAll(async () => {
  schema = buildApiSchema();
  [t, unredacted] = await Promise.all([startTestStack(), startTestStack({ redaction: false })]);
});
afterAll(async () => {
  await Promise.all([t?.close(), unredacted?.close()]);
});

async function tokensFor(stack: TestStack): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const { label, principal } of PRINCIPALS) tokens.set(label, await stack.token(principal));
  return tokens;
}

function oraclesFor(world: World): Map<string, Oracle> {
  const now = new Date();
  return new Map(PRINCIPALS.map(({ label, principal }) => [label, buildOracle(world, principal, now)]));
}

describe('redaction, property-based: no response carries what the caller may not see', () => {
  it('covers every role with at least one principal', () => {
    expect(new Set(PRINCIPALS.map((p) => p.principal.role))).toEqual(new Set(ROLES));
  });

  it('generates ID values in every place, list items and input-object fields included, as soon as the schema has them', () => {
    // The live schema has IDs only as whole arguments; an extended one shows the generator puts
    // them in lists and input objects too, and every operation it renders is valid.
    const grown = extendSchema(
      schema,
      parse(`
        input Draft { clientId: ID!, mentions: [ID!], visit: VisitRef }
        input VisitRef { visitId: ID }
        extend type Query { clientsByIds(ids: [ID!]!): [Client!] preview(draft: Draft!): String }
      `),
    );
    const idArguments = {
      ...ID_ARGUMENTS,
      'Query.clientsByIds': { ids: 'Client' },
      'Query.preview': { 'draft.clientId': 'Client', 'draft.mentions': 'Client', 'draft.visit.visitId': 'HomeVisit' },
    };
    const rootWeights = Object.fromEntries(
      Object.keys(grown.getQueryType()!.getFields()).map((field) => [field, ['clientsByIds', 'preview'].includes(field) ? 20 : 1]),
    );
    const seen = new Set<string>();
    for (const tree of fc.sample(operationTreeArbitrary({ schema: grown, idArguments, maxDepth: 2, rootWeights }), { numRuns: 300, seed: SEED })) {
      const { query, variables } = renderOperation(grown, tree, (slot) => `tok:${slot.typeName}:${slot.choice}`);
      if (/ids: \["tok:/.test(query)) seen.add('list item literal');
      if (/ids: \[\$id\d+/.test(query)) seen.add('list item variable');
      if (/mentions: \[/.test(query)) seen.add('list in an input field');
      if (/clientId: "tok:/.test(query)) seen.add('input field literal');
      if (/visitId: \$id\d+/.test(query)) seen.add('nested input field variable');
      if (/\$arg\d+: Draft! = \{/.test(query)) seen.add('input object as a default');
      if (Object.entries(variables).some(([name, value]) => name.startsWith('arg') && typeof value === 'object' && value !== null && !Array.isArray(value)))
        seen.add('input object as a variable');
      if (Object.entries(variables).some(([name, value]) => name.startsWith('arg') && Array.isArray(value))) seen.add('list as a variable');
      if (/\$id\d+: ID! = /.test(query)) seen.add('default');
      if (/\$id\d+: ID = /.test(query)) seen.add('nullable default');
      if (/\$id\d+: ID! = "tok:[^"]*"[^)]*\)/.test(query) && Object.keys(variables).some((name) => name.startsWith('id'))) seen.add('value over a default');
    }
    expect([...seen].sort()).toEqual(
      [
        'list item literal',
        'list item variable',
        'list in an input field',
        'input field literal',
        'nested input field variable',
        'input object as a default',
        'input object as a variable',
        'list as a variable',
        'default',
        'nullable default',
        'value over a default',
      ].sort(),
    );
  });

  it('has an oracle that flags what each principal may not see (the policy, over the raw databases)', async () => {
    const world = await readWorld(t);
    const sam = world.clients.find((c) => c._id === PERSONAS.sam.clientId)!;
    const refuge = world.clients.find((c) => c._id === PERSONAS.refugeResident.clientId)!;
    const samEmployee = world.employees.find((e) => e._id === PERSONAS.sam.employeeId)!;
    const samNote = world.caseNotes.find((n) => n.clientId === sam._id)!;
    const everyoneBut = (...labels: string[]) => PRINCIPALS.filter((p) => !labels.includes(p.label));
    const samsCircle = ['support worker, keyworker of Sam', 'team manager north'];
    const refugeCircle = ['support worker, keyworker of Sam', 'team manager north', 'service user Jordan (refuge resident)'];
    const expectations: [string, NamedPrincipal[], string[]][] = [
      // Raw ids: never, for anyone.
      ['raw ids', [...PRINCIPALS], [sam._id, samEmployee._id, samEmployee.staffId]],
      // Employment data: HR only.
      [
        'employment data',
        everyoneBut('hr officer'),
        [samEmployee.niNumber, samEmployee.payrollNumber, samEmployee.homeAddress.postcode, samEmployee.dbsCheck!.certificateNumber],
      ],
      // The sealed reason: Sam's designated circle only (not even Sam).
      ['Sam’s sealed reason', everyoneBut(...samsCircle), [sam.restriction!.reason, sam.restriction!.sealedNote!]],
      // Sam's contact details: the circle, Sam, and the NHS trust under Sam's consent.
      [
        'Sam’s contact details',
        everyoneBut(...samsCircle, 'service user Sam', 'external agency NHS trust'),
        [sam.address!.postcode, sam.address!.line1, sam.phone!],
      ],
      // Sam's date of birth: also HR, where it is Sam's *employee* date of birth (the same value).
      ['Sam’s date of birth', everyoneBut(...samsCircle, 'service user Sam', 'external agency NHS trust', 'hr officer'), [sam.dateOfBirth!]],
      // The refuge resident's address: their circle, and the duty officer during the visit in progress.
      ['the refuge resident’s postcode', everyoneBut(...refugeCircle, 'duty officer'), [refuge.address!.postcode]],
      // The police: nothing of Sam's (their break-glass concerns the ordinary client).
      [
        'Sam’s record, for the police',
        [by('external agency police')],
        [sam.name, sam.dateOfBirth!, sam.address!.postcode, sam.phone!, samNote.text, sam.restriction!.reason],
      ],
      ['Sam’s case notes, for the NHS trust', [by('external agency NHS trust')], [samNote.text]],
    ];
    const missed: string[] = [];
    const now = new Date();
    for (const [what, principals, values] of expectations) {
      for (const { label, principal } of principals) {
        const oracle = buildOracle(world, principal, now);
        for (const value of values) if (oracle.leaksIn({ value }).length === 0) missed.push(`${what}: ${JSON.stringify(value)} for ${label}`);
      }
    }
    expect(missed).toEqual([]);
    // And what the circle may see is not flagged for it.
    const keyworker = buildOracle(world, by('support worker, keyworker of Sam').principal, now);
    expect(
      keyworker.leaksIn({ v: [sam.dateOfBirth, sam.address?.postcode, sam.phone, sam.restriction?.sealedNote, samNote.text, refuge.address?.postcode] }),
    ).toEqual([]);
  });

  it('does not let an alias named like a field the planner adds (`id`, `__typename`) swap data or leak raw ids', async () => {
    const world = await readWorld(t);
    const keyworker = by('support worker, keyworker of Sam');
    const outsider = by('support worker, not in Sam’s circle');
    const police = by('external agency police');
    const operations: [NamedPrincipal, string][] = [
      [keyworker, 'query ($id: ID!) { client(id: $id) { id: phone } }'],
      [keyworker, 'query ($id: ID!) { client(id: $id) { id: homeVisits { inProgress } } }'],
      [outsider, 'query ($id: ID!) { client(id: $id) { name restriction { contact { id: team { name } } } } }'],
      [outsider, 'query ($id: ID!) { client(id: $id) { name __typename: services } }'],
      [police, 'query ($id: ID!) { client(id: $id) { id: keyworkers { name } } }'],
    ];
    const failures: string[] = [];
    for (const [who, query] of operations) {
      const variables = { id: t.idFor(who.principal, 'Client', PERSONAS.sam.clientId) };
      const { body } = await t.query(await t.token(who.principal), query, variables);
      const leaks = buildOracle(world, who.principal, new Date()).leaksIn(body);
      const errors = unexpectedErrors(body);
      if (leaks.length > 0 || errors.length > 0) failures.push(`${who.label}: ${query}\n  → ${JSON.stringify(body)}`);
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it(`holds for ${NUM_RUNS} random operations and principals (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const world = await readWorld(t);
    const oracles = oraclesFor(world);
    const tokens = await tokensFor(t);
    const candidates = idCandidates(world);
    const stats = { runs: 0, withData: 0, forbidden: 0, badInput: 0, idLiterals: 0, idVariables: 0, idDefaults: 0, booleanDefaults: 0 };

    try {
      await fc.assert(
        fc.asyncProperty(caseArbitrary(schema, candidates, t.idFor), async (c) => {
          const { status, body } = await t.query(tokens.get(c.who), c.query, c.variables);
          stats.runs += 1;
          if (body.data && Object.values(body.data).some((v) => v !== null)) stats.withData += 1;
          stats.forbidden += (body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').length;
          stats.badInput += (body.errors ?? []).filter((e) => e.extensions?.code === 'BAD_USER_INPUT').length;
          stats.idLiterals += (c.query.match(/\w+: "n1_|\(\w+: "[a-z]/g) ?? []).length;
          stats.idVariables += Object.keys(c.variables).filter((name) => name.startsWith('id')).length;
          stats.idDefaults += (c.query.match(/\$id\d+: ID!? = /g) ?? []).length;
          stats.booleanDefaults += (c.query.match(/\$b\d+: Boolean = /g) ?? []).length;

          // 200, or 400 when the whole request was refused as bad input (an invalid id).
          const refusedAsBadInput = body.data === undefined && (body.errors ?? []).every((e) => e.extensions?.code === 'BAD_USER_INPUT');
          expect(status, `HTTP status\n${describeCase(c, body)}`).toBe(refusedAsBadInput ? 400 : 200);
          const leaks = oracles.get(c.who)!.leaksIn(body);
          expect(leaks, `values the principal may not see\n${describeCase(c, body)}`).toEqual([]);
          expect(unexpectedErrors(body), `errors other than the uniform denial\n${describeCase(c, body)}`).toEqual([]);
        }),
        { numRuns: NUM_RUNS, seed: SEED, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}) },
      );
    } catch (error) {
      throw new Error(
        `property failed; replay with REDACTION_PROPERTY_SEED=${SEED} (and REDACTION_PROPERTY_PATH=<path> below)\n${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    // The generator must actually reach data, or the property would hold vacuously.
    expect(stats.withData).toBeGreaterThan(NUM_RUNS / 4);
    expect(stats.forbidden).toBeGreaterThan(0);
    // Ids reached the gateway in every place, defaults included (docs/INVARIANTS.md#11).
    expect(stats.idLiterals).toBeGreaterThan(0);
    expect(stats.idVariables).toBeGreaterThan(0);
    expect(stats.idDefaults).toBeGreaterThan(0);
    expect(stats.booleanDefaults).toBeGreaterThan(0);
    console.info(`redaction property: ${JSON.stringify(stats)}`);
  });
});

describe('control: the same oracle on a stack without redaction', () => {
  it('reports Sam’s date of birth when a support worker outside Sam’s circle reads it', async () => {
    const world = await readWorld(unredacted);
    const other = by('support worker, not in Sam’s circle');
    const oracle = buildOracle(world, other.principal, new Date());
    const query = 'query ($id: ID!) { client(id: $id) { name dateOfBirth } }';

    const leaky = await unredacted.query(await unredacted.token(other.principal), query, { id: PERSONAS.sam.clientId });
    expect(leaky.body.data).toEqual({ client: { name: PERSONAS.sam.name, dateOfBirth: PERSONAS.sam.dateOfBirth } });
    expect(oracle.leaksIn(leaky.body).map((leak) => leak.value)).toContain(PERSONAS.sam.dateOfBirth);

    // The same question through the redacting gateway: name yes, date of birth denied.
    const redacted = await t.query(await t.token(other.principal), query, { id: t.idFor(other.principal, 'Client', PERSONAS.sam.clientId) });
    expect(redacted.body.data).toEqual({ client: { name: PERSONAS.sam.name, dateOfBirth: null } });
    expect(redacted.body.errors?.map((e) => [e.message, e.extensions?.code, e.path])).toEqual([['Forbidden', 'FORBIDDEN', ['client', 'dateOfBirth']]]);
    expect(buildOracle(await readWorld(t), other.principal, new Date()).leaksIn(redacted.body)).toEqual([]);
  });

  it(`finds leaks in generated operations (${CONTROL_RUNS} runs, seed ${SEED})`, { timeout: 60_000 }, async () => {
    const world = await readWorld(unredacted);
    const oracles = oraclesFor(world);
    const tokens = await tokensFor(unredacted);
    // Without the redacting gateway nothing translates ids: send the raw ones the subgraphs know.
    const cases = fc.sample(
      caseArbitrary(schema, idCandidates(world), (_principal, _type, raw) => raw),
      { numRuns: CONTROL_RUNS, seed: SEED },
    );
    let leakyCases = 0;
    const kinds = new Set<string>();
    for (const c of cases) {
      const { body } = await unredacted.query(tokens.get(c.who), c.query, c.variables);
      const leaks = oracles.get(c.who)!.leaksIn(body);
      if (leaks.length > 0) leakyCases += 1;
      for (const leak of leaks) kinds.add(leak.what.replace(/\s+\S+$/, ''));
    }
    expect(leakyCases).toBeGreaterThan(0);
    console.info(`control: ${leakyCases}/${cases.length} generated operations leak without redaction (${[...kinds].join(', ')})`);
  });
});
