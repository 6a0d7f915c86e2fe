/** How the legacy client database stores its records (database `<prefix>clients`). */

export interface PostalAddressDoc {
  line1: string;
  line2?: string;
  town: string;
  postcode: string;
}

export type GenderValue = 'FEMALE' | 'MALE' | 'NON_BINARY' | 'NOT_STATED';
export type RestrictionReasonValue = 'SERVICE_USER_EMPLOYEE' | 'REFUGE_RESIDENT' | 'WITNESS_PROTECTION' | 'OTHER';

export interface RestrictionDoc {
  reason: RestrictionReasonValue;
  sealedNote?: string;
  /** Staff id of the team manager named on the restricted notice. */
  contactStaffId: string;
}

/** Collection `clients`. */
export interface ClientDoc {
  _id: string;
  name: string;
  /** ISO date. */
  dateOfBirth?: string;
  gender?: GenderValue;
  address?: PostalAddressDoc;
  phone?: string;
  services: string[];
  status: 'OPEN' | 'CLOSED';
  /** ISO date. */
  referredOn: string;
  /** ISO date. */
  closedOn?: string;
  teamId?: string;
  /** Staff ids; indexed, this is how a caseload is found. */
  keyworkerStaffIds: string[];
  restriction?: RestrictionDoc;
}

/** Collection `caseNotes`: append-only; a correction is a new note with `correctsNoteId`. */
export interface CaseNoteDoc {
  _id: string;
  clientId: string;
  authorStaffId?: string;
  occurredAt: Date;
  venue: string;
  recordedAt: Date;
  text: string;
  correctsNoteId?: string;
  /** The gateway's key for the change that created it (audit reconciliation, gateway/audit/reconcile-changes.ts); never served. */
  requestKey?: string;
}

/** Collection `homeVisits`. */
export interface HomeVisitDoc {
  _id: string;
  clientId: string;
  workerStaffId: string;
  startedAt: Date;
  /** Absent (or null) while the visit is in progress. */
  endedAt?: Date | null;
  address: PostalAddressDoc;
  /** The gateway's key for the change that created it (audit reconciliation, gateway/audit/reconcile-changes.ts); never served. */
  requestKey?: string;
}

/**
 * Collection `teams`: the client database's own reference list of teams, so reports can label a
 * team by name without asking the HR system (which holds the same list) on every report.
 */
export interface TeamNameDoc {
  _id: string;
  name: string;
}

/**
 * Collection `services`: the client database's reference list of the services clients receive
 * (clients store service names), so a report by service shows every service, used or not.
 */
export interface ServiceNameDoc {
  _id: string;
  name: string;
}

/**
 * Collection `personNames`: every person known to the organisation — its clients, and its staff
 * (the same list as HR's employees: keyworkers, note authors, managers) — so that a case note
 * read outside the care team has every person's name replaced the same way
 * (third-party-names.ts), without asking the HR system. The legacy client database holds its
 * users' names anyway. One document per normalised name key (`nameKeys`), nothing else: no id,
 * no display form, no mark of whose name it is or where it came from, since a list that told
 * staff names from client names would itself link a client to an employee of the same name.
 */
export interface PersonNameDoc {
  /** A name key (`nameKey` in third-party-names.ts); the primary key is the lookup's index. */
  _id: string;
}

export const CLIENT_COLLECTIONS = {
  clients: 'clients',
  caseNotes: 'caseNotes',
  homeVisits: 'homeVisits',
  teams: 'teams',
  services: 'services',
  personNames: 'personNames',
} as const;

/** An emergency lookup's answer, made per request and never stored. */
export interface EmergencyLookupDoc {
  id: string;
  known: boolean;
  teamRef: string | null;
  clientId: string | null;
}

/** `me`: who asked, read from the verified claims; every field is resolved from the principal. */
export interface MeRef {
  readonly role: string;
}
