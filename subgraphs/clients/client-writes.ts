import type { Db } from 'mongodb';
import type { Principal } from '../../shield/roles.js';
import { forbidden } from '../shared/request-identity.js';
import { stampOnce } from '../shared/stamp-once.js';
import { badInput, DURABLE_WRITE, instant, newRecordId, requiredText } from '../shared/write-input.js';
import type { CaseNoteDoc, ClientDoc, HomeVisitDoc } from './documents.js';
import { clientCollections } from './store.js';

/**
 * Changes to the client database: case notes (append-only; a correction is a new note) and
 * home visits (lone working). Each write is acknowledged by a majority and journaled before
 * the mutation answers. Only the client's keyworkers and their team's manager may write.
 */

/** Keyworkers of the client, and the manager of its team. */
function mayWriteAbout(principal: Principal, client: ClientDoc): boolean {
  if (client.keyworkerStaffIds.includes(principal.sub)) return true;
  return principal.role === 'team_manager' && principal.team !== undefined && client.teamId === principal.team;
}

export async function recordCaseNote(
  db: Db,
  principal: Principal,
  client: ClientDoc | null,
  input: { occurredAt: string; venue: string; text: string; corrects: CaseNoteDoc | null; correctsNoteId?: string | null },
  now: Date,
  /** The gateway's key for this change, stamped so the audit reconciliation can find the record. */
  requestKey?: string,
): Promise<CaseNoteDoc> {
  if (!client || !mayWriteAbout(principal, client)) throw forbidden();
  const occurredAt = instant(input.occurredAt, 'occurredAt');
  if (occurredAt > now) throw badInput('a note records what happened: occurredAt cannot be in the future');
  const venue = requiredText(input.venue, 'venue');
  const text = requiredText(input.text, 'text', { max: 10_000 });
  if (input.correctsNoteId != null && input.corrects?.clientId !== client._id) throw badInput('a correction must name an earlier note about the same client');
  const note: CaseNoteDoc = {
    _id: newRecordId('note'),
    clientId: client._id,
    authorStaffId: principal.sub,
    occurredAt,
    venue,
    recordedAt: now,
    text,
    ...(input.corrects ? { correctsNoteId: input.corrects._id } : {}),
    ...(requestKey ? { requestKey } : {}),
  };
  await clientCollections(db).caseNotes.insertOne(note, DURABLE_WRITE);
  return note;
}

export async function startHomeVisit(db: Db, principal: Principal, client: ClientDoc | null, now: Date, requestKey?: string): Promise<HomeVisitDoc> {
  if (!client || !mayWriteAbout(principal, client)) throw forbidden();
  if (!client.address) throw badInput('the client has no address to visit');
  const visit: HomeVisitDoc = {
    _id: newRecordId('hv'),
    clientId: client._id,
    workerStaffId: principal.sub,
    startedAt: now,
    address: client.address,
    ...(requestKey ? { requestKey } : {}),
  };
  await clientCollections(db).homeVisits.insertOne(visit, DURABLE_WRITE);
  return visit;
}

/** Only the worker on the visit (or the client's team manager) ends it; ending twice changes nothing. */
export async function endHomeVisit(db: Db, principal: Principal, visit: HomeVisitDoc | null, client: ClientDoc | null, now: Date): Promise<HomeVisitDoc> {
  if (!visit || !client) throw forbidden();
  const isManager = principal.role === 'team_manager' && principal.team !== undefined && client.teamId === principal.team;
  if (visit.workerStaffId !== principal.sub && !isManager) throw forbidden();
  return stampOnce(clientCollections(db).homeVisits, visit, 'endedAt', now);
}

/** Exact name (ignoring case and spacing) and date of birth, among current service users. */
export async function findForEmergency(db: Db, name: string, dateOfBirth: string): Promise<ClientDoc | null> {
  const wanted = name.trim().replace(/\s+/g, ' ').toLowerCase();
  if (wanted.length === 0 || !/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) throw badInput('give a name and a date of birth (YYYY-MM-DD)');
  const candidates = await clientCollections(db).clients.find({ dateOfBirth, status: 'OPEN' }).toArray();
  return candidates.find((client) => client.name.trim().replace(/\s+/g, ' ').toLowerCase() === wanted) ?? null;
}

export function lookupId(): string {
  return newRecordId('lookup');
}
