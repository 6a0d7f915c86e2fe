import { loadRequired } from '../shared/loaders.js';
import type { Resolvers } from './generated/resolvers-types.js';
import { headcountReport } from './headcount-report.js';
import { badInput } from '../shared/write-input.js';

const MAX_PAGE = 500;

export const hrResolvers: Resolvers = {
  Query: {
    employees: (_parent, { limit, offset }, ctx) => {
      if (limit < 1 || limit > MAX_PAGE || offset < 0) {
        throw badInput(`limit must be 1–${MAX_PAGE} and offset at least 0`);
      }
      return ctx.store.employeesPage(limit, offset);
    },
    employee: (_parent, { id }, ctx) => {
      return ctx.store.employeeById.load(id);
    },
    teams: (_parent, _args, ctx) => {
      return ctx.store.allTeams();
    },
    team: (_parent, { id }, ctx) => {
      return ctx.store.teamById.load(id);
    },
    headcountReport: (_parent, _args, ctx) => {
      return headcountReport(ctx.store.db, ctx.reports);
    },
    staffMember: (_parent, { id }, ctx) => {
      return ctx.store.staffById.load(id);
    },
  },
  Employee: {
    __resolveReference: (ref, ctx) => ctx.store.employeeById.load(ref.id),
    id: (employee) => employee._id,
    post: (employee, _args, ctx) => loadRequired(ctx.store.postById, employee.postId, 'post'),
    team: (employee, _args, ctx) => loadRequired(ctx.store.teamById, employee.teamId, 'team'),
    lineManager: (employee, _args, ctx) => (employee.lineManagerStaffId ? ctx.store.staffById.load(employee.lineManagerStaffId) : null),
    dbsCheck: (employee) => employee.dbsCheck ?? null,
  },
  StaffMember: {
    __resolveReference: (ref, ctx) => ctx.store.staffById.load(ref.id),
    id: (staff) => staff.staffId,
    team: (staff, _args, ctx) => ctx.store.teamById.load(staff.teamId),
    workPhone: (staff) => staff.workPhone ?? null,
  },
  Team: {
    __resolveReference: (ref, ctx) => ctx.store.teamById.load(ref.id),
    id: (team) => team._id,
    manager: (team, _args, ctx) => (team.managerStaffId ? ctx.store.staffById.load(team.managerStaffId) : null),
  },
  Post: {
    id: (post) => post._id,
  },
  EmergencyLookupResult: {
    __resolveReference: (ref) => ref,
    // The manager of the person's team: the contact named for every client, restricted or not.
    contact: async (result, _args, ctx) => {
      const team = result.teamRef ? await ctx.store.teamById.load(result.teamRef) : null;
      return team?.managerStaffId ? ctx.store.staffById.load(team.managerStaffId) : null;
    },
  },
  Absence: {
    endDate: (absence) => absence.endDate ?? null,
  },
  TrainingRecord: {
    expiresOn: (record) => record.expiresOn ?? null,
  },
  PostalAddress: {
    line2: (address) => address.line2 ?? null,
  },
};
