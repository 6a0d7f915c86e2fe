import { STAFF_ROLES, type Role } from '../../shield/roles.js';
import { OUTSIDE_READERS as OUTSIDE_READER_ROLES, QUERIES } from '../../shield/policy.js';
import { grantHolds } from '../../shield/policy-rule.js';
import { forbidden } from '../shared/request-identity.js';
import { loadRequired } from '../shared/loaders.js';
import { isoDate } from '../shared/iso-date.js';
import type { Resolvers } from './generated/resolvers-types.js';
import type { HomeVisitDoc } from './documents.js';
import { endHomeVisit, findForEmergency, lookupId, recordCaseNote, startHomeVisit } from './client-writes.js';
import { caseloadReport } from './caseload-report.js';
import { referralsAndClosuresReport } from './referrals-report.js';
import { redactCaseNote } from './third-party-names.js';

function inProgress(visit: HomeVisitDoc, now: Date): boolean {
  return visit.endedAt == null && visit.startedAt <= now;
}

const staff = (id: string) => ({ id });
const STAFF_ROLE_SET: ReadonlySet<Role> = new Set(STAFF_ROLES);

/** Readers outside the care team, who never learn from a note whom else it names, client or staff (third-party-names.ts). */
const OUTSIDE_READERS: ReadonlySet<Role> = new Set<Role>(OUTSIDE_READER_ROLES);

export const clientsResolvers: Resolvers = {
  Mutation: {
    recordCaseNote: async (_parent, args, ctx) => {
      const { principal } = ctx;
      const [client, corrects] = await Promise.all([
        ctx.store.clientById.load(args.clientId),
        args.correctsNoteId ? ctx.store.caseNoteById.load(args.correctsNoteId) : Promise.resolve(null),
      ]);
      return recordCaseNote(ctx.store.db, principal, client, { ...args, corrects }, ctx.now, ctx.requestId);
    },
    startHomeVisit: async (_parent, { clientId }, ctx) => {
      const { principal } = ctx;
      return startHomeVisit(ctx.store.db, principal, await ctx.store.clientById.load(clientId), ctx.now, ctx.requestId);
    },
    endHomeVisit: async (_parent, { visitId }, ctx) => {
      const { principal } = ctx;
      const visit = await ctx.store.homeVisitById.load(visitId);
      const client = visit ? await ctx.store.clientById.load(visit.clientId) : null;
      return endHomeVisit(ctx.store.db, principal, visit, client, ctx.now);
    },
  },
  Query: {
    me: (_parent, _args, ctx) => ({ role: ctx.principal.role }),
    findPeople: (_parent, { person }, ctx) => ctx.store.findPeople(person),
    // DPO only (the policy guard); the gateway puts each name returned on the trail as a read of that client.
    auditSubjectNames: async (_parent, { ids }, ctx) => (await ctx.store.clientsNamedOnTheTrail(ids)).map((client) => ({ subject: client, name: client.name })),
    caseloadReport: (_parent, { period, rows, columns }, ctx) => {
      return caseloadReport(ctx.store.db, period, rows, columns, ctx.reports);
    },
    referralsAndClosuresReport: (_parent, { period, rows }, ctx) => {
      return referralsAndClosuresReport(ctx.store.db, period, rows, ctx.reports);
    },
    emergencyLookup: async (_parent, { name, dateOfBirth }, ctx) => {
      const client = await findForEmergency(ctx.store.db, name, dateOfBirth);
      return { id: lookupId(), known: client !== null, teamRef: client?.teamId ?? null, clientId: client?._id ?? null };
    },
    mySubjectAccessExport: (_parent, _args, ctx) => {
      return ctx.store.clientById.load(ctx.principal.sub);
    },
    // Who may ask, and a service user for their own record only: the policy guard (subgraphs/shared/policy-guard.ts).
    client: async (_parent, { id }, ctx) => {
      return ctx.store.clientById.load(id);
    },
    myCaseload: (_parent, _args, ctx) => {
      return ctx.store.caseloadOf(ctx.principal.sub);
    },
    // Whose caseload: the caller's own (from the token), or a team the policy let through (its own manager's).
    myCaseloadPage: (_parent, { first, after }, ctx) => ctx.store.caseloadPage({ keyworkerStaffIds: ctx.principal.sub }, first, after),
    teamCaseloadPage: (_parent, { teamId, first, after }, ctx) => ctx.store.caseloadPage({ teamId }, first, after),
    // The gateway checked the client's circle before forwarding; this store holds the circle too,
    // so it checks again: a leaked gateway claim for a worker off the caseload still reads nothing.
    caseNotesPage: async (_parent, { clientId, first, after }, ctx) => {
      const client = await ctx.store.clientById.load(clientId);
      const facts = () => ({ client: client ? { id: client._id, keyworkerIds: client.keyworkerStaffIds, teamId: client.teamId } : undefined });
      if (!client || !grantHolds(QUERIES.caseNotesPage?.access ?? {}, facts, { principal: ctx.principal, now: ctx.now })) throw forbidden();
      return ctx.store.caseNotesPage(client._id, first, after);
    },
    teamCaseload: (_parent, { teamId }, ctx) => {
      return ctx.store.teamCaseload(teamId);
    },
    homeVisitsInProgress: (_parent, _args, ctx) => {
      return ctx.store.visitsInProgress(ctx.now);
    },
  },
  Client: {
    __resolveReference: (ref, ctx) => ctx.store.clientById.load(ref.id),
    id: (client) => client._id,
    dateOfBirth: (client) => client.dateOfBirth ?? null,
    gender: (client) => client.gender ?? null,
    address: (client) => client.address ?? null,
    phone: (client) => client.phone ?? null,
    closedOn: (client) => client.closedOn ?? null,
    team: (client) => (client.teamId ? { id: client.teamId } : null),
    keyworkers: (client) => client.keyworkerStaffIds.map(staff),
    restriction: (client) => client.restriction ?? null,
    caseNotes: (client, _args, ctx) => ctx.store.caseNotesByClient.load(client._id),
    homeVisits: (client, _args, ctx) => ctx.store.homeVisitsByClient.load(client._id),
  },
  // Every field from the verified claims of this request: `me` never takes an argument, so it cannot be asked about anyone else.
  Me: {
    role: (_me, _args, ctx) => ctx.principal.role,
    staffMember: (_me, _args, ctx) => (STAFF_ROLE_SET.has(ctx.principal.role) ? staff(ctx.principal.sub) : null),
    team: (_me, _args, ctx) =>
      (ctx.principal.role === 'team_manager' || ctx.principal.role === 'support_worker') && ctx.principal.team ? { id: ctx.principal.team } : null,
    caseloadSize: (_me, _args, ctx) => {
      const { principal } = ctx;
      if (principal.role === 'support_worker') return ctx.store.caseloadSize(principal.sub);
      if (principal.role === 'team_manager' && principal.team) return ctx.store.teamCaseloadSize(principal.team);
      return null;
    },
    client: (_me, _args, ctx) => (ctx.principal.role === 'service_user' ? ctx.store.clientById.load(ctx.principal.sub) : null),
    organisation: (_me, _args, ctx) => (ctx.principal.role === 'external_agency' ? (ctx.principal.agency ?? null) : null),
    purpose: (_me, _args, ctx) => (ctx.principal.role === 'external_agency' ? (ctx.principal.purpose ?? null) : null),
  },
  Restriction: {
    sealedNote: (restriction) => restriction.sealedNote ?? null,
    contact: (restriction) => staff(restriction.contactStaffId),
  },
  CaseNote: {
    __resolveReference: (ref, ctx) => ctx.store.caseNoteById.load(ref.id),
    id: (note) => note._id,
    client: (note, _args, ctx) => loadRequired(ctx.store.clientById, note.clientId, 'client'),
    author: (note) => (note.authorStaffId ? staff(note.authorStaffId) : null),
    occurredAt: (note) => isoDate(note.occurredAt),
    recordedAt: (note) => isoDate(note.recordedAt),
    corrects: (note, _args, ctx) => (note.correctsNoteId ? ctx.store.caseNoteById.load(note.correctsNoteId) : null),
    text: (note, _args, ctx) => (OUTSIDE_READERS.has(ctx.principal.role) ? redactCaseNote(note, ctx.store) : note.text),
  },
  // Reached only through the person's own entry point or a DPO's logged request (consent subgraph).
  SubjectAccessExport: {
    __resolveReference: (ref, ctx) => ctx.store.clientById.load(ref.id),
    id: (client) => client._id,
    subject: (client) => client,
    record: (client) => client,
    caseNotes: (client, _args, ctx) => ctx.store.caseNotesByClient.load(client._id),
    homeVisits: (client, _args, ctx) => ctx.store.homeVisitsByClient.load(client._id),
  },
  ExportedClientRecord: {
    dateOfBirth: (client) => client.dateOfBirth ?? null,
    gender: (client) => client.gender ?? null,
    address: (client) => client.address ?? null,
    phone: (client) => client.phone ?? null,
    closedOn: (client) => client.closedOn ?? null,
    restricted: (client) => client.restriction != null,
  },
  ExportedCaseNote: {
    occurredAt: (note) => isoDate(note.occurredAt),
    recordedAt: (note) => isoDate(note.recordedAt),
    text: (note, _args, ctx) => redactCaseNote(note, ctx.store),
    correction: (note) => note.correctsNoteId != null,
  },
  ExportedHomeVisit: {
    startedAt: (visit) => isoDate(visit.startedAt),
    endedAt: (visit) => (visit.endedAt ? isoDate(visit.endedAt) : null),
  },
  HomeVisit: {
    __resolveReference: (ref, ctx) => ctx.store.homeVisitById.load(ref.id),
    id: (visit) => visit._id,
    client: (visit, _args, ctx) => loadRequired(ctx.store.clientById, visit.clientId, 'client'),
    worker: (visit) => staff(visit.workerStaffId),
    startedAt: (visit) => isoDate(visit.startedAt),
    endedAt: (visit) => (visit.endedAt ? isoDate(visit.endedAt) : null),
    inProgress: (visit, _args, ctx) => inProgress(visit, ctx.now),
  },
  PostalAddress: {
    line2: (address) => address.line2 ?? null,
  },
  EmergencyLookupResult: {
    client: (result, _args, ctx) => (result.clientId ? ctx.store.clientById.load(result.clientId) : null),
  },
};
