import type { Db, Filter } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { stampOnce } from '../shared/stamp-once.js';
import { badInput, DURABLE_WRITE, newRecordId, requiredText } from '../shared/write-input.js';
import type { SubjectAccessRequestDoc } from './documents.js';
import { consentCollections } from './store.js';
import { calendarDateOf, isCalendarDate, subjectAccessDueOn } from './subject-access-due-date.js';

/**
 * The DPO's register of subject access requests (UK GDPR Article 15): logged with the day
 * received and the day due, open until completed, never deleted. Overdue is decided against
 * today's date in the database, so the list stays one indexed query however long the register.
 */

export interface NewSubjectAccessRequest {
  subjectId: string;
  receivedOn: string;
  loggedByStaffId: string;
}

export async function logSubjectAccessRequest(db: Db, input: NewSubjectAccessRequest, now: Date): Promise<SubjectAccessRequestDoc> {
  if (!isCalendarDate(input.receivedOn)) throw badInput('receivedOn must be a calendar date (YYYY-MM-DD)');
  if (input.receivedOn > calendarDateOf(now)) throw badInput('receivedOn cannot be in the future');
  const request: SubjectAccessRequestDoc = {
    _id: newRecordId('sar'),
    subjectClientId: input.subjectId,
    receivedOn: input.receivedOn,
    dueOn: subjectAccessDueOn(input.receivedOn),
    loggedByStaffId: input.loggedByStaffId,
    loggedAt: now,
  };
  await consentCollections(db).subjectAccessRequests.insertOne(request, DURABLE_WRITE);
  return request;
}

export function completeSubjectAccessRequest(db: Db, request: SubjectAccessRequestDoc, now: Date): Promise<SubjectAccessRequestDoc> {
  return stampOnce(consentCollections(db).subjectAccessRequests, request, 'completedAt', now);
}

export function subjectAccessRequestIsOverdue(request: SubjectAccessRequestDoc, now: Date): boolean {
  return request.completedAt == null && request.dueOn < calendarDateOf(now);
}

/** The register, oldest due first; or only the open requests past their due date. */
export function listSubjectAccessRequests(db: Db, overdueOnly: boolean, now: Date): Promise<SubjectAccessRequestDoc[]> {
  const filter: Filter<SubjectAccessRequestDoc> = overdueOnly ? { completedAt: null, dueOn: { $lt: calendarDateOf(now) } } : {};
  return consentCollections(db).subjectAccessRequests.find(filter, { batchSize: FIRST_BATCH }).sort({ dueOn: 1, _id: 1 }).toArray();
}

/** The further months Article 12(3) allows. */
const MAX_EXTENSION_MONTHS = 2;

/**
 * Extends an open request by one or two further months, once (UK GDPR Article 12(3): "by two
 * further months where necessary, taking into account the complexity and number of the
 * requests", the person told "within one month of receipt of the request" with the reasons).
 * The day the person was told is checked against the original due date; the extension, its
 * reason and who made it are kept on the request.
 */
export async function extendSubjectAccessRequest(
  db: Db,
  request: SubjectAccessRequestDoc,
  input: { months: number; reason: string; personToldOn: string; extendedByStaffId: string },
  now: Date,
): Promise<SubjectAccessRequestDoc> {
  if (request.completedAt != null) throw badInput('this request is already completed');
  if (request.extension) throw badInput('this request was already extended; Article 12(3) allows one extension of up to two further months');
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > MAX_EXTENSION_MONTHS) throw badInput(`months must be 1–${MAX_EXTENSION_MONTHS}`);
  if (!isCalendarDate(input.personToldOn)) throw badInput('personToldOn must be a calendar date (YYYY-MM-DD)');
  if (input.personToldOn > calendarDateOf(now)) throw badInput('personToldOn cannot be in the future');
  if (input.personToldOn < request.receivedOn) throw badInput('personToldOn cannot be before the request was received');
  if (input.personToldOn > request.dueOn) throw badInput('the person must be told of an extension within the first month, by the original due date');
  const extension = {
    months: input.months as 1 | 2,
    reason: requiredText(input.reason, 'reason', { min: 10, max: 2_000 }),
    personToldOn: input.personToldOn,
    originalDueOn: request.dueOn,
    extendedByStaffId: input.extendedByStaffId,
    extendedAt: now,
  };
  const dueOn = subjectAccessDueOn(request.receivedOn, 1 + input.months);
  // Only an open request not yet extended is changed (a concurrent extension loses, and is told so).
  const updated = await consentCollections(db).subjectAccessRequests.findOneAndUpdate(
    { _id: request._id, completedAt: null, extension: { $exists: false } },
    { $set: { extension, dueOn } },
    { returnDocument: 'after', ...DURABLE_WRITE },
  );
  if (!updated) throw badInput('this request was completed or extended meanwhile');
  return updated;
}

export type RegisterFilter = 'ALL' | 'DUE' | 'OVERDUE' | 'EXTENDED' | 'COMPLETED';

/** The most a page may hold: enough for a screen, small enough to stay one quick query. */
const MAX_PAGE_SIZE = 100;

export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput(`first must be 1–${MAX_PAGE_SIZE}`);
  return first;
}

function registerFilter(filter: RegisterFilter, today: string): Filter<SubjectAccessRequestDoc> {
  switch (filter) {
    case 'DUE':
      return { completedAt: null, dueOn: { $gte: today } };
    case 'OVERDUE':
      return { completedAt: null, dueOn: { $lt: today } };
    case 'EXTENDED':
      return { extension: { $exists: true } };
    case 'COMPLETED':
      return { completedAt: { $ne: null } };
    case 'ALL':
      return {};
  }
}

/**
 * One page of the register, soonest due first. The cursor is the last request of the previous
 * page (the caller passes its opaque id; the gateway decodes it): the page continues after its
 * (dueOn, _id), so a request logged meanwhile never shifts a page.
 */
export async function subjectAccessRegisterPage(
  db: Db,
  input: { filter: RegisterFilter; first: number; after: SubjectAccessRequestDoc | null | undefined },
  now: Date,
): Promise<{ nodes: SubjectAccessRequestDoc[]; hasNextPage: boolean }> {
  const size = pageSize(input.first);
  const filters: Filter<SubjectAccessRequestDoc>[] = [registerFilter(input.filter, calendarDateOf(now))];
  if (input.after) filters.push({ $or: [{ dueOn: { $gt: input.after.dueOn } }, { dueOn: input.after.dueOn, _id: { $gt: input.after._id } }] });
  const found = await consentCollections(db)
    .subjectAccessRequests.find({ $and: filters }, { limit: size + 1 })
    .sort({ dueOn: 1, _id: 1 })
    .toArray();
  return { nodes: found.slice(0, size), hasNextPage: found.length > size };
}
