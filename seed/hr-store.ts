/**
 * The HR database: employees (with their absences, training and DBS checks), teams and posts.
 * Employees are drawn in one pass over the staff plan (seed/world.ts) from a single stream,
 * every value for every employee, so the stream never depends on who is a persona.
 */
import type {
  AbsenceDoc,
  AbsenceKindValue,
  ContractTypeValue,
  DbsCheckDoc,
  DbsLevelValue,
  DbsStatusValue,
  EmployeeDoc,
  PostDoc,
  TeamDoc,
  TrainingDoc,
} from '../subgraphs/hr/documents.js';
import { postalAddress, personName, workPhone } from './people.js';
import { POSTS, POST_IDS, TEAM_CENTRAL, type PostId } from './personas.js';
import { createRng, type Rng } from './random.js';
import { idFactory, must } from './records.js';
import { birthDate, DAY, instantBetween, isoDate, isoDateMs, startOfDay, YEAR } from './time.js';
import { VOCABULARY } from './vocabulary.js';
import type { Ctx, StaffSpec, World } from './world.js';

// Copies, so a consumer that mutates what it reads cannot change the next pass.
export const employeeDocs = (world: World): EmployeeDoc[] => world.employees.map((e) => structuredClone(e));
export const teamDocs = (world: World): TeamDoc[] => world.teams.map((t) => ({ ...t }));
export const postDocs = (): PostDoc[] => POSTS.map((p) => ({ ...p }));

export function buildEmployees(ctx: Ctx, specs: readonly StaffSpec[], managerOf: ReadonlyMap<string, string>): EmployeeDoc[] {
  const rng = createRng(ctx.seed, 'employees');
  const employeeIds = idFactory(ctx.seed, 'employees', 'emp_', 32);
  const absenceIds = idFactory(ctx.seed, 'absences', 'abs_', 32);
  const head = must(managerOf.get(TEAM_CENTRAL), 'head of services');
  const payrollNumbers = new Set<string>();
  const niNumbers = new Set<string>();
  let absenceCounter = 0;
  const unique = (used: Set<string>, draw: () => string): string => {
    let value = draw();
    while (used.has(value)) value = draw();
    used.add(value);
    return value;
  };

  return specs.map((spec, index) => {
    const isTrainee = spec.postId === POST_IDS.traineeSupportWorker;
    // Every value is drawn for every employee, personas included, so the stream (and the
    // shape of the record) never depends on who the person is.
    const drawnName = personName(rng);
    const drawnBirth = isTrainee ? birthDate(rng, ctx.nowMs, 18, 45) : birthDate(rng, ctx.nowMs, 21, 70);
    const dateOfBirth = spec.fixedDateOfBirth ?? drawnBirth;
    const homeAddress = postalAddress(rng);
    const payrollNumber = unique(payrollNumbers, () => `PAY${rng.digits(6)}`);
    const niNumber = unique(niNumbers, () => `QQ${rng.digits(6)}${rng.pick(['A', 'B', 'C', 'D'])}`);
    const startMs = employmentStart(rng, ctx.nowMs, dateOfBirth, isTrainee);
    const lineManagerStaffId = lineManagerFor(spec, managerOf, head);
    const absences = drawAbsences(rng, ctx.nowMs, startMs, () => absenceIds(absenceCounter++));
    return {
      _id: spec.fixedEmployeeId ?? employeeIds(index),
      staffId: spec.staffId,
      payrollNumber,
      name: spec.fixedName ?? drawnName,
      dateOfBirth,
      homeAddress,
      niNumber,
      postId: spec.postId,
      teamId: spec.teamId,
      ...(lineManagerStaffId === undefined ? {} : { lineManagerStaffId }),
      startDate: isoDate(startMs),
      contract: drawContract(rng, spec.postId),
      workPhone: workPhone(rng),
      absences,
      training: drawTraining(rng, ctx.nowMs, startMs),
      dbsCheck: drawDbsCheck(rng, spec.postId, startMs),
    };
  });
}

function employmentStart(rng: Rng, nowMs: number, dateOfBirth: string, isTrainee: boolean): number {
  const adult = isoDateMs(dateOfBirth) + 18 * YEAR;
  const earliest = Math.max(adult, nowMs - (isTrainee ? 540 : 20 * 365) * DAY);
  const latest = nowMs - 14 * DAY;
  return startOfDay(instantBetween(rng, Math.min(earliest, latest), latest));
}

/** Managers report to the head of services, who reports to nobody (the board is not in HR). */
function lineManagerFor(spec: StaffSpec, managerOf: ReadonlyMap<string, string>, head: string): string | undefined {
  if (spec.postId === POST_IDS.headOfServices) return undefined;
  if (spec.postId === POST_IDS.teamManager) return head;
  return must(managerOf.get(spec.teamId), `manager of ${spec.teamId}`);
}

function drawContract(rng: Rng, postId: PostId): EmployeeDoc['contract'] {
  const kind = rng.weighted<ContractTypeValue>([
    ['PERMANENT', 70],
    ['FIXED_TERM', 20],
    ['SESSIONAL', 10],
  ]);
  const hours = rng.pick([37.5, 37.5, 30, 22.5]);
  const sessionalHours = rng.int(8, 20);
  if (postId === POST_IDS.traineeSupportWorker) return { type: 'TRAINEE', hoursPerWeek: hours === 22.5 ? 30 : hours };
  if (postId === POST_IDS.teamManager || postId === POST_IDS.headOfServices || postId === POST_IDS.dataProtectionOfficer) {
    return { type: 'PERMANENT', hoursPerWeek: 37.5 };
  }
  return kind === 'SESSIONAL' ? { type: kind, hoursPerWeek: sessionalHours } : { type: kind, hoursPerWeek: hours };
}

function drawAbsences(rng: Rng, nowMs: number, startMs: number, nextId: () => string): AbsenceDoc[] {
  const count = rng.weighted([
    [0, 35],
    [1, 35],
    [2, 20],
    [3, 10],
  ]);
  const from = Math.max(startMs, nowMs - 2 * 365 * DAY);
  const absences: { startMs: number; doc: AbsenceDoc }[] = [];
  for (let i = 0; i < count; i++) {
    const kind = rng.weighted<AbsenceKindValue>([
      ['ANNUAL_LEAVE', 60],
      ['SICKNESS', 30],
      ['PARENTAL', 3],
      ['OTHER', 7],
    ]);
    const days = kind === 'PARENTAL' ? rng.int(60, 180) : kind === 'SICKNESS' ? rng.int(1, 15) : kind === 'OTHER' ? rng.int(1, 3) : rng.int(1, 10);
    const start = startOfDay(instantBetween(rng, from, nowMs - DAY));
    const end = start + (days - 1) * DAY;
    const id = nextId();
    // An absence still running today has no end date yet.
    const doc: AbsenceDoc = end >= startOfDay(nowMs) ? { id, kind, startDate: isoDate(start) } : { id, kind, startDate: isoDate(start), endDate: isoDate(end) };
    absences.push({ startMs: start, doc });
  }
  return absences.sort((a, b) => a.startMs - b.startMs).map((a) => a.doc);
}

function drawTraining(rng: Rng, nowMs: number, startMs: number): TrainingDoc[] {
  const courses = rng.sample(VOCABULARY.trainingCourses, rng.int(2, 5));
  return courses
    .map(({ course, validYears }) => {
      const completed = startOfDay(instantBetween(rng, startMs, nowMs));
      const completedOn = isoDate(completed);
      return validYears === undefined ? { course, completedOn } : { course, completedOn, expiresOn: isoDate(completed + validYears * 365 * DAY) };
    })
    .sort((a, b) => a.completedOn.localeCompare(b.completedOn) || a.course.localeCompare(b.course));
}

function drawDbsCheck(rng: Rng, postId: PostId, startMs: number): DbsCheckDoc {
  const level: DbsLevelValue =
    postId === POST_IDS.safeguardingLead
      ? 'ENHANCED'
      : postId === POST_IDS.hrOfficer || postId === POST_IDS.administrator || postId === POST_IDS.dataProtectionOfficer
        ? 'STANDARD'
        : 'ENHANCED_WITH_BARRED_LISTS';
  const status = rng.weighted<DbsStatusValue>([
    ['CLEAR', 93],
    ['UNDER_REVIEW', 3],
    ['EXPIRED', 4],
  ]);
  return {
    level,
    certificateNumber: `00${rng.digits(10)}`,
    issuedOn: isoDate(startMs - rng.int(10, 60) * DAY),
    status,
  };
}
