import type { Db, Filter } from 'mongodb';
import { FIRST_BATCH } from '../shared/loaders.js';
import { stampOnce } from '../shared/stamp-once.js';
import { badInput, DURABLE_WRITE, newRecordId } from '../shared/write-input.js';
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
