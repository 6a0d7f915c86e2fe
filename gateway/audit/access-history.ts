import type { Db } from 'mongodb';
import { auditCollection } from './audit-log.js';

/**
 * When a person's record was accessed, as they may be told it (right of access): the time,
 * what was done, and by which role and organisation. Never which member of staff: that is the
 * staff member's personal data, and naming them could put them at risk.
 */

export interface RecordAccess {
  readonly at: string;
  readonly action: string;
  readonly role: string;
  readonly organisation: string;
}

/** `subjectRef` is the subject as the trail names them (the audit audience's id); newest first. */
export async function accessHistoryOf(db: Db, subjectRef: string, limit?: number): Promise<RecordAccess[]> {
  const found = await auditCollection(db)
    .find(
      { 'subjects.ref': subjectRef },
      { sort: { _id: -1 }, ...(limit === undefined ? {} : { limit }), projection: { at: 1, action: 1, 'actor.role': 1, 'actor.agency': 1 } },
    )
    .toArray();
  return found.map((entry) => ({ at: entry.at, action: entry.action, role: entry.actor.role, organisation: entry.actor.agency ?? 'the charity' }));
}
